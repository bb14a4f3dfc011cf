"""The shipped benchmarks still run (tiny sizes; the real figures come from `python -m benchmarks`)."""

from benchmarks.fanout import run_fanout
from benchmarks.retrieval import run_retrieval


def test_fanout_runs_and_concurrency_helps() -> None:
    result = run_fanout(questions=6, latency=0.05, max_concurrency=6, rounds=1)
    assert result.concurrent_seconds < result.sequential_seconds
    assert result.speedup > 1


def test_retrieval_benchmark_runs() -> None:
    ingests, search = run_retrieval(chunks=200, queries=20, disk_chunks=20)
    assert [ingest.chunks for ingest in ingests] == [200, 20]
    assert all(ingest.chunks_per_second > 0 for ingest in ingests)
    assert search.chunks == 200
    assert 0 < search.p50_ms <= search.p99_ms
