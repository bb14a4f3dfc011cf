"""Tests through the ASGI app."""
