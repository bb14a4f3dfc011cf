"""The command line: options in, one report per project out, exit 0 (passed), 1 (a check failed) or 2."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import container_check
from container_check.check import check_project
from container_check.machine import Buildah, MachineError, host_uv_cache, preflight
from container_check.report import print_report
from container_check.run import BatchPlan

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aiscaffold/container-check"


def parser() -> argparse.ArgumentParser:
    """The options (the package docstring says what each check does)."""
    parser = argparse.ArgumentParser(
        prog="python -m container_check", description=(container_check.__doc__ or "").splitlines()[0]
    )
    parser.add_argument("projects", nargs="+", type=Path, help="generated projects (with a Dockerfile)")
    cache = Path(os.environ.get("CONTAINER_CHECK_CACHE", DEFAULT_CACHE))
    parser.add_argument("--cache-dir", type=Path, default=cache, help="stand-in and store (%(default)s)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    parser.add_argument("--keep-images", action="store_true", help="keep the built images in the store")
    parser.add_argument("--no-uv-cache", action="store_true", help="build without the host's uv cache")
    parser.add_argument(
        "--kind",
        choices=["server", "batch"],
        help="what the image must be (aiscaffold's catalog says, per template); default: whatever it is",
    )
    parser.add_argument(
        "--batch-run",
        action="append",
        metavar="ARGS",
        help="a batch image runs its ENTRYPOINT with these shell-quoted arguments (repeatable, in order;"
        " default: its CMD)",
    )
    parser.add_argument(
        "--batch-output",
        action="append",
        metavar="PATH",
        help="a file, in the batch image's working directory, the runs must leave non-empty (repeatable)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Check every project given; print the report; return the exit code."""
    options = parser().parse_args(argv)
    cache = options.cache_dir.resolve()
    batch = BatchPlan.parse(options.batch_run, options.batch_output)
    try:
        preflight(options.projects)
        cache.mkdir(parents=True, exist_ok=True)
        buildah = Buildah(cache)
        uv_cache = None if options.no_uv_cache else host_uv_cache()
        reports = [
            check_project(
                buildah,
                project.resolve(),
                cache,
                uv_cache=uv_cache,
                keep=options.keep_images,
                batch=batch,
                expected_kind=options.kind,
            )
            for project in options.projects
        ]
    except MachineError as error:
        print(f"container-check: {error}", file=sys.stderr)
        return 2
    print_report(reports)
    if options.json:
        results = [asdict(report) | {"passed": report.passed} for report in reports]
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(report.passed for report in reports) else 1
