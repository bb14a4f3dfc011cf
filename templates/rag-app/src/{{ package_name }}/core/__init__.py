"""Configuration and process-wide plumbing."""
