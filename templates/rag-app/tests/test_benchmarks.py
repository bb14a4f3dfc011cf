"""The shipped benchmarks still run (tiny sizes; the real figures come from `python -m benchmarks`)."""

from benchmarks.fanout import run_fanout
from benchmarks.faults import run_faults
from benchmarks.retrieval import run_ingestion, run_search
from benchmarks.telemetry import CONFIGURATIONS, run_telemetry


def test_fanout_runs_and_concurrency_helps() -> None:
    result = run_fanout(questions=6, latency=0.05, max_concurrency=6, rounds=1)
    assert result.concurrent_seconds < result.sequential_seconds
    assert result.speedup > 1


def test_ingestion_benchmark_runs_both_approaches() -> None:
    results = run_ingestion(documents=4, growth=2)
    assert [(result.approach, result.documents) for result in results] == [
        ("by id (now)", 4),
        ("by id (now)", 8),
        ("filter scan (before)", 4),
        ("filter scan (before)", 8),
    ]
    small, large, before_small, before_large = results
    assert small.chunks == before_small.chunks > 4
    assert large.chunks == before_large.chunks == 2 * small.chunks
    assert all(result.chunks_per_second > 0 for result in results)


def test_search_benchmark_runs() -> None:
    search = run_search(documents=5, queries=20)
    assert search.chunks > 5
    assert 0 < search.p50_ms <= search.p99_ms


def test_fault_benchmark_reports_each_fault() -> None:
    [hang, server_error] = run_faults(deadline=0.5, names=["hang", "500 on every attempt"])
    assert (hang.fault, hang.ask_status, hang.stream_ending) == ("hang", 503, "503")
    assert hang.ask_seconds < 2.5
    assert server_error.ask_status == 503
    assert hang.recovered
    assert server_error.recovered


def test_telemetry_benchmark_measures_every_configuration() -> None:
    costs = run_telemetry(requests=3, rounds=1)
    assert [cost.configuration for cost in costs] == list(CONFIGURATIONS)
    assert all(cost.requests_per_second > 0 for cost in costs)
