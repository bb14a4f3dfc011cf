"""Tests of the model code: artifacts, training, and the served model."""
