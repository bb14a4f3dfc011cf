"""Run every benchmark and print the figures: `uv run python -m benchmarks` (a few minutes on 2 cores)."""

import argparse
import json
import sys
from dataclasses import asdict

from benchmarks.fanout import run_fanout
from benchmarks.faults import run_faults
from benchmarks.retrieval import run_ingestion, run_search
from benchmarks.telemetry import run_telemetry

FANOUT_TARGET = 15.0  # times faster than sequential, for 20 questions at 100 ms each
INGEST_TARGET = 2_000.0  # chunks per second into the embedded store on disk
GROWTH_TARGET = 6.0  # at most this many times longer to ingest 5x the documents
FAULT_DEADLINE = 10.0  # seconds: LLM_DEADLINE_SECONDS for the fault table (the default is 60)
FAULT_GRACE = 2.0  # every faulty call must end within the deadline plus this
TELEMETRY_OFF_TARGET = 3.0  # percent of requests per second OpenTelemetry may cost when nothing is exported


def main() -> int:
    """Print a summary (and JSON with --json); exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=200, help="documents ingested (then 5x as many)")
    parser.add_argument("--search-documents", type=int, default=1_000, help="documents searched over")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    args = parser.parse_args()

    _measuring("1/5 LLM fan-out")
    fanout = run_fanout()
    _measuring(f"2/5 ingestion of {args.documents} and {5 * args.documents} documents, two ways")
    small, large, before_small, before_large = run_ingestion(documents=args.documents)
    _measuring(f"3/5 retrieval over {args.search_documents} documents")
    search = run_search(documents=args.search_documents)
    _measuring("4/5 LLM faults, each through /v1/ask and /v1/ask/stream")
    faults = run_faults(deadline=FAULT_DEADLINE)
    _measuring("5/5 OpenTelemetry's cost")
    telemetry = run_telemetry()
    absent = telemetry[0].requests_per_second
    off_loss = 100 * (1 - telemetry[1].requests_per_second / absent)
    growth = large.seconds / small.seconds
    growth_before = before_large.seconds / before_small.seconds
    rate = min(small.chunks_per_second, large.chunks_per_second)
    lines = [
        f"fan-out: {fanout.questions} questions x {fanout.latency * 1000:.0f} ms, "
        f"concurrency <= {fanout.max_concurrency}, medians of 5 rounds",
        f"  sequential {fanout.sequential_seconds:.2f} s, async {fanout.concurrent_seconds:.3f} s "
        f"-> {fanout.speedup:.1f}x (target >= {FANOUT_TARGET:.0f}x)",
        "ingestion into embedded Qdrant on disk, default settings:",
        *(
            f"  {ingest.approach:<20} {ingest.documents:>5} documents, {ingest.chunks:>6} chunks in "
            f"{ingest.seconds:6.1f} s -> {ingest.chunks_per_second:5.0f} chunks/s"
            for ingest in (small, large, before_small, before_large)
        ),
        f"  5x the documents took {growth:.1f}x the time (target <= {GROWTH_TARGET:.0f}x; before: "
        f"{growth_before:.1f}x); {rate:.0f} chunks/s (target >= {INGEST_TARGET:.0f}), "
        f"{large.chunks_per_second / before_large.chunks_per_second:.1f}x the previous approach's rate at 5x",
        f"retrieval: top-5 over {search.chunks} chunks, {search.queries} queries: "
        f"p50 {search.p50_ms:.2f} ms, p99 {search.p99_ms:.2f} ms",
        f"LLM faults, LLM_DEADLINE_SECONDS={FAULT_DEADLINE:g} (target: each ends within "
        f"{FAULT_DEADLINE + FAULT_GRACE:g} s, the next question answered):",
        f"  {'fault':<24} {'/v1/ask':>14} {'/v1/ask/stream':>22}  next question",
        *(
            f"  {fault.fault:<24} {fault.ask_status:>5} {fault.ask_seconds:6.2f} s "
            f"{fault.stream_ending:>13} {fault.stream_seconds:6.2f} s  "
            f"{'answered' if fault.recovered else 'FAILED'}"
            for fault in faults
        ),
        "OpenTelemetry: POST /v1/ask in-process (sparse, extractive), requests per CPU second, "
        "medians of 15 rounds",
        *(
            f"  {cost.configuration:<12} {cost.requests_per_second:7.0f}  "
            f"({100 * (cost.requests_per_second / absent - 1):+.1f} % vs absent)"
            for cost in telemetry
        ),
        f"  off costs {off_loss:.1f} % (target <= {TELEMETRY_OFF_TARGET:g} %)",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if args.json:
        figures = {
            "fanout": asdict(fanout) | {"speedup": fanout.speedup},
            "ingestion": [
                asdict(ingest) | {"chunks_per_second": ingest.chunks_per_second}
                for ingest in (small, large, before_small, before_large)
            ],
            "retrieval": asdict(search),
            "faults": [asdict(fault) for fault in faults],
            "telemetry": [asdict(cost) for cost in telemetry],
        }
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    faults_met = all(
        fault.recovered and max(fault.ask_seconds, fault.stream_seconds) <= FAULT_DEADLINE + FAULT_GRACE
        for fault in faults
    )
    met = (
        fanout.speedup >= FANOUT_TARGET
        and rate >= INGEST_TARGET
        and growth <= GROWTH_TARGET
        and faults_met
        and off_loss <= TELEMETRY_OFF_TARGET
    )
    return 0 if met else 1


def _measuring(step: str) -> None:
    # The figures come at the end, minutes later: say what runs now, so a quiet terminal does not look hung.
    print(f"measuring {step}...", file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
