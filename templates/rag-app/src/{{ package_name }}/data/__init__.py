"""Shipped data: sample documents and the golden questions `eval` scores retrieval with."""
