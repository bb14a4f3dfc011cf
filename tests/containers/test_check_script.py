"""Fast tests of scripts/container_check: what it reads, how it searches images, its command line.

The slow module (test_images.py) finds nothing in real images; these tests show the searches do find what
they look for, so that "nothing found" means something.
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from container_check.cli import main, parser
from container_check.image import configured_uid, contains_any, context_absent
from container_check.machine import MachineError, full_name
from container_check.project import context_files, env_secrets, parse_dockerfile
from container_check.report import Report
from container_check.run import BatchPlan, choose_port, run
from container_check.stand_in import ensure_stand_in
from support import REPO_ROOT

SCRIPTS = REPO_ROOT / "scripts"

DOCKERFILE = """\
# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm AS builder
ARG UV_VERSION=0.13.9
ARG API_TOKEN=abc
ARG PIP_INDEX_PASSWORD
COPY pyproject.toml uv.lock ./
FROM builder AS tests
FROM --platform=linux/amd64 python:3.11-slim-bookworm
COPY --from=builder /app/.venv /app/.venv
COPY --chown=10001:10001 data/raw ./data/raw
COPY . .
"""


def test_dockerfile_parsing(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    parsed = parse_dockerfile(tmp_path / "Dockerfile")
    assert parsed.bases == ["python:3.11-slim-bookworm", "python:3.11-slim-bookworm"]
    assert parsed.args == {"UV_VERSION": "0.13.9", "API_TOKEN": "abc", "PIP_INDEX_PASSWORD": None}
    assert parsed.copied == ["pyproject.toml", "uv.lock", "data/raw"]


def test_secrets_are_read_from_secret_named_env_lines(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "APP_ENVIRONMENT=development-long-value\n"  # a setting, not a secret
        "APP_API_KEY='sk-0123456789abcdef'\n"
        "# APP_DB_PASSWORD=commented-out-value\n"
        "APP_TOKEN=short\n"  # too short to search for without false hits
    )
    assert env_secrets(tmp_path) == ["sk-0123456789abcdef"]


def test_context_files_leave_out_what_the_dockerfile_copies_by_name(tmp_path: Path) -> None:
    for relative in (
        ".env",
        ".git/config",
        "data/raw/reviews.jsonl",
        "data/private/customers.csv",
        "src/x.py",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    dockerfile = parse_dockerfile(tmp_path / "Dockerfile")
    assert context_files(tmp_path, dockerfile) == [
        ".env",
        ".git/config",
        "data/private/customers.csv",
    ]


def _layer(path: Path, files: dict[str, bytes], *, compress: bool = False) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    path.write_bytes(gzip.compress(buffer.getvalue()) if compress else buffer.getvalue())
    return path


@pytest.mark.parametrize("compress", [False, True], ids=["tar", "tar.gz"])
def test_secret_search_finds_a_value_across_chunk_borders(tmp_path: Path, compress: bool) -> None:
    sentinel = "aiscaffold-sentinel-0123456789"
    # The search reads 8 MiB chunks: the value starts 10 bytes before the first border (after a tar header).
    padding = b"\0" * ((8 << 20) - 512 - 10)
    layer = _layer(tmp_path / "layer", {"app/big.bin": padding + sentinel.encode()}, compress=compress)
    assert contains_any(layer, [sentinel])
    assert not contains_any(layer, ["aiscaffold-sentinel-other"])


def test_context_search_names_leaked_files(tmp_path: Path) -> None:
    (tmp_path / "project" / ".git").mkdir(parents=True)
    (tmp_path / "project" / ".git" / "HEAD").write_text("ref")
    (tmp_path / "project" / ".env").write_text("A=1")
    (tmp_path / "project" / "Dockerfile").write_text("FROM python:3.11-slim-bookworm\n")
    dockerfile = parse_dockerfile(tmp_path / "project" / "Dockerfile")
    layer = _layer(tmp_path / "layer", {"./app/.git/HEAD": b"ref", "app/src/x.py": b""})
    image = {"config": {"WorkingDir": "/app"}}
    passed, detail = context_absent([layer], image, tmp_path / "project", dockerfile)
    assert passed is False
    assert ".git/HEAD" in detail


def test_base_images_without_a_debian_python_have_no_stand_in(tmp_path: Path) -> None:
    with pytest.raises(MachineError, match=r"ships Python 3\.11"):
        ensure_stand_in(None, "python:3.12-slim-bookworm", tmp_path)
    with pytest.raises(MachineError, match="no stand-in recipe"):
        ensure_stand_in(None, "node:22-slim", tmp_path)


def test_names_and_users() -> None:
    assert full_name("python:3.11-slim-bookworm") == "docker.io/library/python:3.11-slim-bookworm"
    assert full_name("qdrant/qdrant:v1") == "docker.io/qdrant/qdrant:v1"
    assert full_name("ghcr.io/a/b:1") == "ghcr.io/a/b:1"
    assert [configured_uid(user) for user in ("", "root", "0:0", "10001:10001", "app")] == [
        0,
        0,
        0,
        10001,
        None,
    ]


def test_port_moves_when_a_setting_holds_it() -> None:
    config = {"ExposedPorts": {"8000/tcp": {}}, "Env": ["PATH=/bin", "APP_PORT=8000"]}
    port, env = choose_port(config)
    assert env == ["--env", f"APP_PORT={port}"]
    assert choose_port({"ExposedPorts": {"8000/tcp": {}}, "Env": []}) == (8000, [])


def test_batch_runs_and_outputs_come_from_the_caller() -> None:
    options = parser().parse_args(
        ["p", "--batch-run", "ingest", "--batch-run", "predict 'data/raw/my reviews.jsonl' out.jsonl",
         "--batch-output", "models/LATEST", "--batch-output", "out.jsonl"]
    )  # fmt: skip
    plan = BatchPlan.parse(options.batch_run, options.batch_output)
    assert plan.runs == (("ingest",), ("predict", "data/raw/my reviews.jsonl", "out.jsonl"))
    assert plan.outputs == ("models/LATEST", "out.jsonl")


def test_without_batch_options_a_batch_image_runs_its_cmd() -> None:
    options = parser().parse_args(["p"])
    assert BatchPlan.parse(options.batch_run, options.batch_output) == BatchPlan((), ())


def test_a_machine_that_cannot_run_the_checks_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert main([str(tmp_path), "--cache-dir", str(tmp_path / "cache")]) == 2
    assert capsys.readouterr().err.startswith("container-check: needs root")


def test_the_package_runs_with_python_m(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "container_check", "--help"],
        env={**os.environ, "PYTHONPATH": str(SCRIPTS)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "--batch-run ARGS" in completed.stdout


class FakeBuildah:
    """Records `buildah run` commands; a file named in ``missing`` is reported unwritten, uid is 10001."""

    def __init__(self, missing: str = "") -> None:
        self.commands: list[list[str]] = []
        self.missing = missing

    def __call__(self, *args: str) -> str:
        return "container-1\n"

    def run(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        command = list(args[args.index("--") + 1 :]) if "--" in args else list(args)
        self.commands.append(command)
        stdout = "10001\n" if command == ["id", "-u"] else self.missing if command[0] == "sh" else ""
        return subprocess.CompletedProcess(args, 0, stdout, "")


@pytest.mark.parametrize("missing", ["", "out.jsonl"], ids=["written", "missing"])
def test_a_batch_image_runs_the_given_commands_then_checks_the_given_outputs(missing: str) -> None:
    buildah = FakeBuildah(missing)
    report = Report("p", "some-batch-template")
    plan = BatchPlan((("ingest",), ("predict", "in.jsonl", "out.jsonl")), ("out.jsonl",))
    config = {"Entrypoint": ["/app/.venv/bin/pipeline"], "Cmd": ["--help"]}
    run(buildah, report, "tag", config, 10001, plan)
    assert buildah.commands[:2] == [
        ["/app/.venv/bin/pipeline", "ingest"],
        ["/app/.venv/bin/pipeline", "predict", "in.jsonl", "out.jsonl"],
    ]
    checks = {check.name: check.passed for check in report.checks}
    expected = {"run ingest": True, "run predict": True, "outputs written": not missing, "process uid": True}
    assert checks == expected


def test_without_a_plan_a_batch_image_runs_its_cmd() -> None:
    buildah = FakeBuildah()
    report = Report("p", "some-batch-template")
    run(buildah, report, "tag", {"Entrypoint": ["pipeline"], "Cmd": ["all"]}, 10001, BatchPlan())
    assert buildah.commands[0] == ["pipeline", "all"]
    assert [check.name for check in report.checks] == ["run all", "process uid"]


@pytest.mark.parametrize(("expected", "passed"), [("batch", True), ("server", False), (None, None)])
def test_the_caller_says_which_kind_the_image_must_be(expected: str | None, passed: bool | None) -> None:
    """A server image that lost its EXPOSE and HEALTHCHECK would otherwise pass as a batch job."""
    assert parser().parse_args(["p", "--kind", "server"]).kind == "server"
    report = Report("p", "some-template")
    run(
        FakeBuildah(),
        report,
        "tag",
        {"Entrypoint": ["pipeline"], "Cmd": ["all"]},
        10001,
        BatchPlan(),
        expected,
    )
    checks = {check.name: check.passed for check in report.checks}
    assert checks.get("kind") is passed
    if expected is not None:
        assert checks["run all"] is True  # the image still runs, as the kind it is
