"""Benchmarks of the pipeline (`make bench`); not part of the test suite."""
