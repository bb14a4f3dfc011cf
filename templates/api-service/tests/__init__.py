"""Tests of the churn service; `tests/fakes.py` holds the test doubles."""
