"""The shipped benchmarks still run (tiny sizes; the real figures come from `python -m benchmarks`)."""

from benchmarks.fanout import run_fanout
from benchmarks.retrieval import run_ingestion, run_search


def test_fanout_runs_and_concurrency_helps() -> None:
    result = run_fanout(questions=6, latency=0.05, max_concurrency=6, rounds=1)
    assert result.concurrent_seconds < result.sequential_seconds
    assert result.speedup > 1


def test_ingestion_benchmark_runs_both_approaches() -> None:
    small, large, before = run_ingestion(documents=4, growth=2)
    assert (small.documents, large.documents, before.documents) == (4, 8, 4)
    assert small.chunks == before.chunks > 4
    assert large.chunks == 2 * small.chunks
    assert all(result.chunks_per_second > 0 for result in (small, large, before))


def test_search_benchmark_runs() -> None:
    search = run_search(documents=5, queries=20)
    assert search.chunks > 5
    assert 0 < search.p50_ms <= search.p99_ms
