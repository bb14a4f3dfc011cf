"""CLI speed: `aiscaffold --help` start-up, and the CPU `aiscaffold new` spends against `copier copy`.

The render target is about whole-process CPU (user + system time of the command and of every process it
waits for, git included), not wall time: CPU is what aiscaffold adds on top of copier, and it depends far
less than wall time on other jobs sharing the machine. Each pair of commands runs interleaved (the order
alternates every round) after one unmeasured warm-up run each, which writes the bytecode caches a user's
second run has. The ratio is the median of the per-round ratios: the two runs of a round see the same
load, so slow drifts in the machine's load cancel out. Prints medians and ratios, and rewrites the
"CLI speed" section of docs/benchmarks.md.

    uv run python benchmarks/cli_speed.py [--runs 21] [--baseline CHECKOUT] [--instructions]

``--baseline`` also measures the aiscaffold of another checkout (a clone of main, say) in the same rounds,
with the same interpreter and packages: a before/after ratio under the same load. ``--instructions`` adds
one run of each render under valgrind's callgrind, children included: instruction counts do not depend on
the machine's load at all (about 3 minutes per command).
"""

from __future__ import annotations

import argparse
import os
import re
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

Commands = dict[str, tuple[list[str], dict[str, str]]]  # name: (argv, environment)


@dataclass
class Samples:
    """CPU and wall seconds of one command's measured runs, in round order."""

    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    def ratios(self, other: Samples) -> list[float]:
        """The CPU ratio to ``other`` in each round."""
        return [mine / theirs for mine, theirs in zip(self.cpu, other.cpu, strict=True)]


def environment(checkout: Path) -> dict[str, str]:
    """No terminal (``CI``), bytecode caches allowed, and ``aiscaffold`` imported from ``checkout``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "CI": "true", "PYTHONPATH": str(checkout / "src"), "PYTHONHASHSEED": "0"}


def measure(argv: list[str], cwd: Path, env: dict[str, str], samples: Samples | None) -> None:
    """Run ``argv`` once; add its CPU (its own and its waited-for children's) and wall time to ``samples``."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read().decode() if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)  # the usage of the child and of everything it waited for
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{stderr}")
    if samples is not None:
        samples.cpu.append(usage.ru_utime + usage.ru_stime)
        samples.wall.append(wall)


def aiscaffold(*args: str) -> list[str]:
    return [sys.executable, "-m", "aiscaffold", *args]


def copier(*args: str) -> list[str]:
    return [sys.executable, "-m", "copier", *args]


def fresh(argv: list[str], dest: Path) -> list[str]:
    return [part.replace("{dest}", str(dest)) for part in argv]


def interleaved(commands: Commands, runs: int, work: Path) -> dict[str, Samples]:
    """Run every command ``runs`` times, round by round, the order reversed every other round.

    ``{dest}`` in a command is replaced by a fresh folder for each run (removed afterwards).
    """
    samples = {name: Samples() for name in commands}
    for round_number in range(-1, runs):  # round -1 is the warm-up
        names = list(commands) if round_number % 2 else list(reversed(commands))
        for name in names:
            argv, env = commands[name]
            dest = work / f"{name}-{round_number}"
            measure(fresh(argv, dest), work, env, samples[name] if round_number >= 0 else None)
            shutil.rmtree(dest, ignore_errors=True)
    return samples


def instructions(argv: list[str], env: dict[str, str], work: Path) -> int:
    """Instructions executed by ``argv`` and every process it starts, under callgrind."""
    logs = work / "callgrind"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    dest = work / "instructions"
    valgrind = ["valgrind", "--tool=callgrind", "--trace-children=yes", f"--log-file={logs}/log.%p",
                f"--callgrind-out-file={logs}/out.%p"]  # fmt: skip
    subprocess.run([*valgrind, *fresh(argv, dest)], cwd=work, env=env, check=True, capture_output=True)
    shutil.rmtree(dest, ignore_errors=True)
    counts = [re.search(r"I\s+refs:\s+([\d,]+)", log.read_text()) for log in logs.glob("log.*")]
    return sum(int(found.group(1).replace(",", "")) for found in counts if found)


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


def spread(values: list[float]) -> str:
    quartiles = statistics.quantiles(values, n=4)
    return f"{quartiles[0]:.2f}-{quartiles[2]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--baseline", type=Path, help="another aiscaffold checkout to measure alongside")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--templates", nargs="+", default=TEMPLATES, choices=TEMPLATES)
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
        # CPU, like the renders: on an idle machine start-up wall time is about its CPU time, and CPU does
        # not grow with other jobs' load the way wall time does.
        ours, theirs = helps["aiscaffold"].median_cpu, helps["copier"].median_cpu
        rows.append(
            ("`aiscaffold --help` (CPU)", f"{ours:.3f} s", f"`copier --help` {theirs:.3f} s",
             f"{ours / theirs:.2f}x", f"≤ {HELP_TARGET_S} s", "met" if ours <= HELP_TARGET_S else "NOT met")
        )  # fmt: skip
        notes.append(
            f"- `--help`: wall {helps['aiscaffold'].median_wall:.3f} s against copier's "
            f"{helps['copier'].median_wall:.3f} s."
        )
        for template in args.templates:
            commands = render_commands(template, baseline)
            samples = interleaved(commands, args.runs, work)
            new, copy = samples["aiscaffold"], samples["copier"]
            ratios = new.ratios(copy)
            ratio = statistics.median(ratios)
            rows.append(
                (f"`aiscaffold new {template} --defaults --no-install --no-git` (CPU)",
                 f"{new.median_cpu:.3f} s", f"`copier copy --defaults` {copy.median_cpu:.3f} s",
                 f"{ratio:.2f}x", f"≤ {NEW_TARGET_RATIO}x", "met" if ratio <= NEW_TARGET_RATIO else "NOT met")
            )  # fmt: skip
            line = (
                f"- {template}: per-round CPU ratios {spread(ratios)} (quartiles); wall "
                f"{new.median_wall:.2f} s against copier's {copy.median_wall:.2f} s"
            )
            if baseline is not None:
                before = statistics.median(samples["baseline"].ratios(copy))
                line += f"; baseline `{baseline.name}` {before:.2f}x copier's CPU in the same rounds"
            if args.instructions:
                counted = {name: instructions(argv, env, work) for name, (argv, env) in commands.items()}
                ours, theirs = counted["aiscaffold"], counted["copier"]
                line += (
                    f"; instructions (callgrind, children included) {ours / 1e9:.2f} G against "
                    f"{theirs / 1e9:.2f} G, {ours / theirs:.3f}x"
                )
                if baseline is not None:
                    line += f" (baseline {counted['baseline'] / counted['copier']:.3f}x)"
            notes.append(line + ".")
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
            f"`uv run python benchmarks/cli_speed.py` — {runs} interleaved rounds after a warm-up",
            f"({machine}). Renders compare whole-process CPU (user + system, git included); the ratio is the",
            "median of the per-round ratios. `--help` is CPU time too (wall times in the notes).",
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
