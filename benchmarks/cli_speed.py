"""CLI speed: `aiscaffold --help` start-up, and the CPU `aiscaffold new` spends against `copier copy`.

The render target is about whole-process CPU (user + system time of the command and every process it
waits for, git included), not wall time: CPU is what aiscaffold adds on top of copier, and it is far less
sensitive than wall time to other jobs sharing the machine. Each pair of commands runs interleaved (the
order alternates each round) so both sides see the same load, after one unmeasured warm-up run each that
writes the bytecode caches a user's second run has. Prints medians and ratios, and rewrites the "CLI speed"
section of docs/benchmarks.md.

    uv run python benchmarks/cli_speed.py [--runs 15] [--baseline CHECKOUT]

``--baseline`` also measures the aiscaffold of another checkout (say a clone of main) in the same rounds,
with the same interpreter and packages, for a before/after ratio on the same machine load.
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## CLI speed"
HELP_TARGET_S = 0.25
NEW_TARGET_RATIO = 1.10
TEMPLATES = ("api-service", "nlp-pipeline", "rag-app")


@dataclass
class Samples:
    """CPU and wall seconds of one command's measured runs."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)


def environment(checkout: Path) -> dict[str, str]:
    """No terminal (``CI``), bytecode caches allowed, and ``aiscaffold`` imported from ``checkout``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "CI": "true", "PYTHONPATH": str(checkout / "src")}


def measure(argv: list[str], cwd: Path, env: dict[str, str], samples: Samples | None) -> None:
    """Run ``argv`` once; add its CPU (its own and its waited-for children's) and wall time to ``samples``."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)  # the usage of the child and of everything it waited for
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{stderr}")
    if samples is not None:
        samples.cpu.append(usage.ru_utime + usage.ru_stime)
        samples.wall.append(wall)


def aiscaffold(*args: str) -> list[str]:
    return [sys.executable, "-m", "aiscaffold", *args]


def copier(*args: str) -> list[str]:
    return [sys.executable, "-m", "copier", *args]


Commands = dict[str, tuple[list[str], dict[str, str]]]  # name: (argv, environment)


def interleaved(commands: Commands, runs: int, work: Path) -> dict[str, Samples]:
    """Run every command ``runs`` times, round by round, the order reversed every other round.

    ``{dest}`` in a command is replaced by a fresh folder for each run (removed afterwards).
    """
    samples = {name: Samples() for name in commands}
    for round_number in range(-1, runs):  # round -1 is the warm-up
        names = list(commands) if round_number % 2 else list(reversed(commands))
        for name in names:
            argv, env = commands[name]
            dest = work / f"{name}-{round_number}".replace(" ", "_")
            measure([part.replace("{dest}", str(dest)) for part in argv], work, env,
                    samples[name] if round_number >= 0 else None)  # fmt: skip
            shutil.rmtree(dest, ignore_errors=True)
    return samples


def render_commands(template: str, baseline: Path | None) -> Commands:
    new = ["new", template, "{dest}", "--defaults", "--no-install", "--no-git"]
    # Same source and ref as aiscaffold uses for its bundled templates in a checkout.
    copy = ["copy", "--defaults", "--quiet", "--vcs-ref", "HEAD", "--data", f"template={template}", str(ROOT)]
    commands = {
        "aiscaffold": (aiscaffold(*new), environment(ROOT)),
        "copier": ([*copier(*copy), "{dest}"], environment(ROOT)),
    }
    if baseline is not None:
        commands["baseline"] = (aiscaffold(*new), environment(baseline))
    return commands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="another aiscaffold checkout to measure alongside")
    args = parser.parse_args()
    baseline = args.baseline.resolve() if args.baseline else None
    rows, notes = [], []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        helps = interleaved(
            {"aiscaffold": (aiscaffold("--help"), environment(ROOT)),
             "copier": (copier("--help"), environment(ROOT))},
            args.runs, work,
        )  # fmt: skip
        ours, theirs = helps["aiscaffold"].median_wall, helps["copier"].median_wall
        rows.append(
            ("`aiscaffold --help` (wall)", f"{ours:.3f} s", f"`copier --help` {theirs:.3f} s",
             f"{ours / theirs:.2f}x", f"≤ {HELP_TARGET_S} s", "met" if ours <= HELP_TARGET_S else "NOT met")
        )  # fmt: skip
        for template in TEMPLATES:
            samples = interleaved(render_commands(template, baseline), args.runs, work)
            new, copy = samples["aiscaffold"], samples["copier"]
            ratio = new.median_cpu / copy.median_cpu
            rows.append(
                (f"`aiscaffold new {template} --defaults --no-install --no-git` (CPU)",
                 f"{new.median_cpu:.3f} s", f"`copier copy --defaults` {copy.median_cpu:.3f} s",
                 f"{ratio:.2f}x", f"≤ {NEW_TARGET_RATIO}x", "met" if ratio <= NEW_TARGET_RATIO else "NOT met")
            )  # fmt: skip
            notes.append(
                f"- {template}: wall {new.median_wall:.2f} s against copier's {copy.median_wall:.2f} s "
                f"({new.median_wall / copy.median_wall:.2f}x)."
            )
            if baseline is not None:
                before = samples["baseline"].median_cpu
                notes.append(
                    f"- {template}, baseline `{baseline.name}`: CPU {before:.3f} s, "
                    f"{before / copy.median_cpu:.2f}x copier's (this checkout: {ratio:.2f}x)."
                )
    header = ("command", "median", "reference (median)", "ratio", "target", "")
    table = [header, tuple("---" for _ in header), *rows]
    lines = ["| " + " | ".join(row) + " |" for row in table]
    for line in [*lines, "", *notes]:
        print(line)
    write_section(lines, notes, args.runs)


def write_section(lines: list[str], notes: list[str], runs: int) -> None:
    machine = f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    body = "\n".join(
        [
            SECTION,
            "",
            f"`uv run python benchmarks/cli_speed.py` — median of {runs} interleaved runs after a warm-up "
            f"({machine}). Renders compare whole-process CPU (user + system, git included); `--help` is "
            "wall time.",
            "",
            *lines,
            "",
            *notes,
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
