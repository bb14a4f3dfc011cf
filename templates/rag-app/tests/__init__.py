"""Tests of the generated project; `tests.fake_openai` is shared by several modules."""
