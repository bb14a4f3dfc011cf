"""Ingestion: files in, embedded chunks in the vector store out."""
