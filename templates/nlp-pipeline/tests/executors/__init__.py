"""Tests of the executors: every one writes the same predictions as the local one."""
