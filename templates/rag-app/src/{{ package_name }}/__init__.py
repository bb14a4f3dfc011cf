"""Question answering over your own documents: ingestion, retrieval, answers with citations."""
