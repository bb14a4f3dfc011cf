"""Tests of the LLM client, its HTTP setup and its cache."""
