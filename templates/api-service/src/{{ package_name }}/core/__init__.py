"""Cross-cutting pieces: settings, logging, time."""
