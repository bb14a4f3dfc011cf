"""Slow layer: build each template's Docker image (default answers), run it, and check it as a user would.

The README's two commands, with a step between them: `aiscaffold new TEMPLATE DEST --defaults`, then plant
what must never reach an image (a `.env` with a secret value, a file in `.git`, private files under
`data/`, all carrying one random sentinel), then `python -m container_check DEST` (scripts/ on
PYTHONPATH), whose report (its package docstring lists the checks) the test asserts. Each template's kind
(server or batch) comes from templates/catalog.toml and a batch template's runs and outputs are this
module's knowledge (BATCH_OPTIONS); both reach the check as options.

Needs root, buildah and debootstrap (`.ci/run` installs them); skipped with the reason otherwise. The
stand-in base image is built once into the script's cache folder (CONTAINER_CHECK_CACHE, default
~/.cache/aiscaffold/container-check) and shared by the parallel workers.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from matrix import TEMPLATES
from support import REPO_ROOT

from aiscaffold.catalog import parse_template

BIN = Path(sys.executable).parent
SCRIPTS = REPO_ROOT / "scripts"
BATCH_COMMANDS = ("run ingest", "run train", "run evaluate", "run predict", "outputs written")
# What a batch image runs, per template: its CLI on the shipped sample data, and the files that must result.
BATCH_OPTIONS = {
    "nlp-pipeline": [
        *("--batch-run", "ingest", "--batch-run", "train", "--batch-run", "evaluate"),
        *("--batch-run", "predict data/raw/reviews.jsonl data/processed/p.jsonl"),
        *("--batch-output", "models/LATEST", "--batch-output", "reports/evaluation.json"),
        *("--batch-output", "data/processed/p.jsonl"),
    ],
}


def _machine_problem() -> str | None:
    if os.geteuid() != 0:
        return "needs root (buildah with chroot isolation, debootstrap)"
    missing = [tool for tool in ("buildah", "debootstrap") if shutil.which(tool) is None]
    return f"needs {' and '.join(missing)} (apt-get install {' '.join(missing)})" if missing else None


pytestmark = [
    pytest.mark.slow,
    # One worker builds the images one after another while the other runs the rest of the suite.
    pytest.mark.xdist_group("containers"),
    pytest.mark.skipif(_machine_problem() is not None, reason=str(_machine_problem())),
]


def _generate(template: str, parent: Path) -> Path:
    """`aiscaffold new TEMPLATE DEST --defaults` as in the README: a git repository, locked and synced."""
    project = parent / template
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"} | {"CI": "true"}
    new = [BIN / "aiscaffold", "new", template, project, "--defaults"]
    completed = subprocess.run(new, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return project


def _plant(project: Path, sentinel: str) -> None:
    """What a working copy holds and an image must not: a secret in .env, git files, private data."""
    prefix = project.name.replace("-", "_").upper()
    example = (project / ".env.example").read_text()
    secret = f"# A real secret, as users put them here.\n{prefix}_API_KEY={sentinel}\n"
    (project / ".env").write_text(f"{example}\n{secret}")
    assert (project / ".git").is_dir()
    (project / ".git" / "notes-with-a-secret").write_text(sentinel)
    (project / "data" / "private").mkdir(parents=True)
    (project / "data" / "private" / "customers.csv").write_text(f"id,token\n1,{sentinel}\n")


@pytest.fixture(params=TEMPLATES)
def checked(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, Any], str]:
    """The container check's JSON report for a freshly generated project, and its printed output."""
    project = _generate(request.param, tmp_path)
    _plant(project, f"aiscaffold-sentinel-{secrets.token_hex(16)}")
    report_file = tmp_path / "report.json"
    # As the README runs it (PATH's python3, scripts/ on PYTHONPATH), plus a JSON copy of the report.
    check = ["python3", "-m", "container_check", project, "--json", report_file]
    env = os.environ | {"PYTHONPATH": str(SCRIPTS)}
    completed = subprocess.run(
        [*check, "--kind", parse_template(request.param).kind, *BATCH_OPTIONS.get(request.param, [])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    [report] = json.loads(report_file.read_text())
    return report, output


def test_image_builds_runs_as_a_user_and_keeps_secrets_out(checked: tuple[dict[str, Any], str]) -> None:
    report, output = checked
    checks = {check["name"]: check for check in report["checks"]}
    assert report["passed"], output
    assert all(check["passed"] is not False for check in checks.values()), output

    # Hardening: every one of these really ran (passed is True, not "not applicable").
    hardening = ("base pinned", "build", "user is not root", "no secret ENV/ARG", "no .env secret in image",
                 "build context", "process uid")  # fmt: skip
    assert {name: checks[name]["passed"] for name in hardening} == dict.fromkeys(hardening, True), output
    assert checks["base pinned"]["detail"] == "FROM python:3.11-slim-bookworm"
    assert checks["user is not root"]["detail"] == "USER 10001:10001"
    assert "10001" in checks["process uid"]["detail"]
    assert checks["no .env secret in image"]["detail"].startswith("1 value(s) from .env: in no layer")
    # The .env file, the planted .git files and the private data file were all looked for.
    assert int(checks["build context"]["detail"].split()[0]) >= 3, checks["build context"]

    assert checks["kind"]["passed"], output
    if parse_template(report["template"]).is_server:
        assert all(checks[name]["passed"] for name in ("GET /health", "GET /ready", "HEALTHCHECK")), output
    else:
        assert all(checks[name]["passed"] for name in BATCH_COMMANDS), output
    assert report["image_bytes"] > report["base_bytes"] > 0
