"""Throughput benchmark of the service against a tutorial-style baseline (`python -m benchmarks.run`)."""
