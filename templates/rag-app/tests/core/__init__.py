"""Tests of the cross-cutting pieces: settings and logging."""
