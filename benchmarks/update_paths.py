"""Update paths: `aiscaffold update` through the project's history (one render + `git merge`) against
copier's own update (it renders the old and the new version), on the same project and template change.

Builds a git template root from this checkout's templates with two tags (v1.0.0, and v1.1.0 with a README
line more), generates a project at v1.0.0, and times both updates on fresh clones of it, interleaved so
both see the same machine load. Prints medians and the ratio, and rewrites the "Update paths" section of
docs/benchmarks.md.

    uv run python benchmarks/update_paths.py [--runs 5]
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
SECTION = "## Update paths"
ENV = {
    **os.environ,
    "CI": "true",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@localhost",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@localhost",
}


def run(*argv: str | Path, cwd: Path) -> None:
    subprocess.run([str(arg) for arg in argv], cwd=cwd, env=ENV, check=True, capture_output=True)


def template_root(work: Path) -> Path:
    root = work / "template-root"
    root.mkdir()
    shutil.copy2(ROOT / "copier.yml", root / "copier.yml")
    shutil.copytree(ROOT / "templates", root / "templates")
    run("git", "init", "-q", "-b", "main", cwd=root)
    run("git", "add", "-A", cwd=root)
    run("git", "commit", "-qm", "v1.0.0", cwd=root)
    run("git", "tag", "v1.0.0", cwd=root)
    readme = root / "templates" / "_shared" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nA line added in v1.1.0.\n")
    run("git", "commit", "-qam", "v1.1.0", cwd=root)
    run("git", "tag", "v1.1.0", cwd=root)
    return root


def timed_update(project: Path, work: Path, name: str, *extra: str) -> float:
    clone = work / name
    run("git", "clone", "-q", project, clone, cwd=work)
    start = time.perf_counter()
    run(BIN / "aiscaffold", "update", clone, "--defaults", "--vcs-ref", "v1.1.0", *extra, cwd=work)
    elapsed = time.perf_counter() - start
    shutil.rmtree(clone)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        root = template_root(work)
        for template in ("api-service", "nlp-pipeline", "rag-app"):
            project = work / template
            run(BIN / "aiscaffold", "new", template, project, "--defaults", "--no-install", "--source", root,
                "--vcs-ref", "v1.0.0", cwd=work)  # fmt: skip
            history, copier = [], []
            for _ in range(args.runs):
                history.append(timed_update(project, work, "history"))
                # `--conflict rej` is copier's style, so aiscaffold hands the update to copier.
                copier.append(timed_update(project, work, "copier", "--conflict", "rej"))
            through_history, through_copier = statistics.median(history), statistics.median(copier)
            rows.append(
                (template, f"{through_history:.2f} s", f"{through_copier:.2f} s",
                 f"{through_history / through_copier:.2f}x")
            )  # fmt: skip
    header = ("template", "through history (render + git merge)", "through copier (two renders)", "ratio")
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
            f"`uv run python benchmarks/update_paths.py` — median of {runs} interleaved runs ({machine}); "
            "whole `aiscaffold update --defaults` from v1.0.0 to v1.1.0 (one README line), `--no-install` "
            "project. The history path needs only the new version, so it also works where the old one "
            "is gone.",
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
