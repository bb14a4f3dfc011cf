"""The shipped benchmarks still run (tiny sizes; the real figures come from `python -m benchmarks`)."""

from benchmarks.fanout import run_fanout
from benchmarks.retrieval import run_retrieval


def test_fanout_runs_and_concurrency_helps() -> None:
    result = run_fanout(questions=6, latency=0.05, max_concurrency=6)
    assert result.concurrent_seconds < result.sequential_seconds
    assert result.speedup > 1


def test_retrieval_benchmark_runs() -> None:
    result = run_retrieval(chunks=200, queries=20)
    assert result.chunks == 200
    assert result.chunks_per_second > 0
    assert 0 < result.p50_ms <= result.p99_ms
