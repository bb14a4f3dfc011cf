"""Run every benchmark and print the figures: `uv run python -m benchmarks` (about a minute on 2 cores)."""

import argparse
import json
import sys
from dataclasses import asdict

from benchmarks.fanout import run_fanout
from benchmarks.retrieval import run_retrieval

FANOUT_TARGET = 15.0  # times faster than sequential, for 20 questions at 100 ms each


def main() -> int:
    """Print a summary (and JSON with --json); exit 1 when the fan-out misses its target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=10_000, help="chunks indexed for retrieval")
    parser.add_argument("--disk-chunks", type=int, default=1_000, help="chunks ingested into on-disk Qdrant")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    args = parser.parse_args()

    fanout = run_fanout()
    ingests, search = run_retrieval(chunks=args.chunks, disk_chunks=args.disk_chunks)
    lines = [
        f"fan-out: {fanout.questions} questions x {fanout.latency * 1000:.0f} ms, "
        f"concurrency <= {fanout.max_concurrency}, medians of 5 rounds",
        f"  sequential {fanout.sequential_seconds:.2f} s, async {fanout.concurrent_seconds:.3f} s "
        f"-> {fanout.speedup:.1f}x (target >= {FANOUT_TARGET:.0f}x)",
        *(
            f"ingestion ({ingest.where}): {ingest.chunks} chunks in {ingest.seconds:.1f} s "
            f"-> {ingest.chunks_per_second:.0f} chunks/s"
            for ingest in ingests
        ),
        f"retrieval: top-5 over {search.chunks} chunks, {search.queries} queries: "
        f"p50 {search.p50_ms:.2f} ms, p99 {search.p99_ms:.2f} ms",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if args.json:
        figures = {
            "fanout": asdict(fanout) | {"speedup": fanout.speedup},
            "ingestion": [
                asdict(ingest) | {"chunks_per_second": ingest.chunks_per_second} for ingest in ingests
            ],
            "retrieval": asdict(search),
        }
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    return 0 if fanout.speedup >= FANOUT_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
