"""Tests of the embedders: hashing, OpenAI-compatible, lexical (sparse) and, when chosen, WordLlama."""
