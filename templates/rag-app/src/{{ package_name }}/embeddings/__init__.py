"""Embedders: text in, vectors out, behind the `Embedder` protocol."""
