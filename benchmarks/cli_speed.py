"""CLI speed: `aiscaffold --help` start-up, and `aiscaffold new` against `copier copy` of the same template.

Runs each command several times, interleaved so both sides see the same machine load, prints medians and
ratios side by side, and rewrites the "CLI speed" section of docs/benchmarks.md.

    uv run python benchmarks/cli_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## CLI speed"
HELP_TARGET_S = 0.25
NEW_TARGET_RATIO = 1.10


def wall(argv: list[str | Path], cwd: Path) -> float:
    env = {**os.environ, "CI": "true"}
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


Command = list[str | Path]


def median_pair(first: Command, second: Command, runs: int, cwd: Path) -> tuple[float, float]:
    a, b = [], []
    for _ in range(runs):
        a.append(wall(first, cwd))
        b.append(wall(second, cwd))
    return statistics.median(a), statistics.median(b)


def render_pair(template: str, runs: int, work: Path) -> tuple[float, float]:
    aiscaffold, copier = [], []
    for run in range(runs):
        dest_a, dest_c = work / f"a{run}", work / f"c{run}"
        ours: Command = [
            BIN / "aiscaffold",
            "new",
            template,
            dest_a,
            "--defaults",
            "--no-install",
            "--no-git",
        ]
        # Same source and ref as aiscaffold uses for its bundled templates in a checkout.
        theirs: Command = [BIN / "copier", "copy", "--defaults", "--quiet", "--vcs-ref", "HEAD"]
        theirs += ["--data", f"template={template}", ROOT, dest_c]
        aiscaffold.append(wall(ours, work))
        copier.append(wall(theirs, work))
        shutil.rmtree(dest_a)
        shutil.rmtree(dest_c)
    return statistics.median(aiscaffold), statistics.median(copier)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        help_commands: tuple[Command, Command] = ([BIN / "aiscaffold", "--help"], [BIN / "copier", "--help"])
        ours, copiers = median_pair(*help_commands, args.runs, work)
        rows = [
            ("`aiscaffold --help`", f"{ours:.3f} s", f"`copier --help` {copiers:.3f} s",
             f"{ours / copiers:.2f}x", f"≤ {HELP_TARGET_S} s", "met" if ours <= HELP_TARGET_S else "NOT met"),
        ]  # fmt: skip
        for template in ("api-service", "nlp-pipeline", "rag-app"):
            new, copy = render_pair(template, args.runs, work)
            ratio = new / copy
            rows.append(
                (f"`aiscaffold new {template} --defaults --no-install --no-git`", f"{new:.3f} s",
                 f"`copier copy --defaults` {copy:.3f} s", f"{ratio:.2f}x", f"≤ {NEW_TARGET_RATIO}x",
                 "met" if ratio <= NEW_TARGET_RATIO else "NOT met")
            )  # fmt: skip
    header = ("command", "median", "reference (median)", "ratio", "target", "")
    table = [header, tuple("---" for _ in header), *rows]
    lines = ["| " + " | ".join(row) + " |" for row in table]
    for line in lines:
        print(line)
    write_section(lines, args.runs)


def write_section(lines: list[str], runs: int) -> None:
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    body = "\n".join(
        [
            SECTION,
            "",
            f"`uv run python benchmarks/cli_speed.py` — median of {runs} interleaved runs ({machine}).",
            "",
            *lines,
            "",
        ]
    )
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    before, _, after = text.partition(SECTION)
    rest = after.split("\n## ", 1)
    tail = f"\n## {rest[1]}" if len(rest) > 1 else ""
    REPORT.write_text(before.rstrip() + "\n\n" + body + tail)


if __name__ == "__main__":
    main()
