"""Tests of the sentiment pipeline: one module per stage, plus the CLI end to end."""
