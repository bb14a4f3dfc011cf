"""Benchmarks: `python -m benchmarks` (fan-out of LLM calls, retrieval latency, ingestion throughput)."""
