"""The checks a generated project must pass, in one place: ``aiscaffold new --verify`` and aiscaffold's slow
tests both run them from here.

Every tool comes from the project's own environment (``uv run``), so a project is verified with the
versions its lock file pins, exactly as its CI and pre-commit hooks will run them.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiscaffold.postgen import StatusFactory, find_uv, project_environment

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Gate:
    """One check: a name, the command after ``uv run``, and when it applies to a project."""

    name: str
    command: tuple[str, ...]
    applies: Callable[[Answers, Path], bool] = lambda answers, project: True


@dataclass(frozen=True)
class GateResult:
    """How one gate went: ``passed`` None means skipped (``output`` says why)."""

    name: str
    passed: bool | None
    seconds: float = 0.0
    output: str = ""


def _docker(answers: Answers, _: Path) -> bool:
    return bool(answers.get("include_docker"))


def _compose(answers: Answers, project: Path) -> bool:
    return bool(answers.get("include_docker")) and (project / "docker-compose.yml").is_file()


def _ci(provider: str) -> Callable[[Answers, Path], bool]:
    return lambda answers, _: answers.get("ci_provider") == provider


def _present(path: str) -> Callable[[Answers, Path], bool]:
    return lambda _, project: (project / path).is_file()


def _precommit(answers: Answers, project: Path) -> bool:
    return bool(answers.get("use_precommit")) and (project / ".git").exists()


def _schema(name: str, schema: str, path: str, applies: Callable[[Answers, Path], bool]) -> Gate:
    return Gate(name, ("check-jsonschema", "--builtin-schema", schema, path), applies)


# Opt-in (the `template_updates` answer), so the gate follows the file, not the answer.
TEMPLATE_UPDATE_WORKFLOW = ".github/workflows/template-update.yml"
RELEASE_WORKFLOW = ".github/workflows/release.yml"

GATES: tuple[Gate, ...] = (
    Gate("lock file up to date", ("uv", "lock", "--check")),
    Gate("ruff check", ("ruff", "check", ".")),
    Gate("ruff format --check", ("ruff", "format", "--check", ".")),
    Gate("mypy --strict", ("mypy", "--strict")),
    Gate("pytest (coverage >= 90 %)", ("pytest", "-q", "-p", "no:cacheprovider")),
    Gate(
        "pre-commit run --all-files",
        ("pre-commit", "run", "--all-files", "--show-diff-on-failure"),
        _precommit,
    ),
    Gate("hadolint Dockerfile", ("hadolint", "Dockerfile"), _docker),
    _schema("compose schema", "vendor.compose-spec", "docker-compose.yml", _compose),
    _schema("GitHub workflow schema", "vendor.github-workflows", ".github/workflows/ci.yml", _ci("github")),
    _schema(
        "template-update workflow schema",
        "vendor.github-workflows",
        TEMPLATE_UPDATE_WORKFLOW,
        _present(TEMPLATE_UPDATE_WORKFLOW),
    ),
    _schema(
        "release workflow schema", "vendor.github-workflows", RELEASE_WORKFLOW, _present(RELEASE_WORKFLOW)
    ),
    _schema("dependabot schema", "vendor.dependabot", ".github/dependabot.yml", _ci("github")),
    _schema("GitLab CI schema", "vendor.gitlab-ci", ".gitlab-ci.yml", _ci("gitlab")),
)


def run_gates(
    project: Path,
    answers: Answers,
    *,
    gates: Sequence[Gate] = GATES,
    status: StatusFactory | None = None,
) -> list[GateResult]:
    """Run every gate that applies to ``project`` (all, even after a failure) and return the results."""
    uv = find_uv()
    results = []
    for gate in gates:
        if not gate.applies(answers, project):
            results.append(GateResult(gate.name, passed=None, output="not part of this project"))
            continue
        with (status or _quiet)(f"Checking: {gate.name}"):
            results.append(_run_gate(uv, gate, project))
    return results


def _quiet(_: str) -> AbstractContextManager[None]:
    return nullcontext()


def _run_gate(uv: str, gate: Gate, project: Path) -> GateResult:
    # `uv lock --check` is uv itself; everything else runs from the project's synced environment.
    argv = [uv, *gate.command[1:]] if gate.command[0] == "uv" else [uv, "run", "--no-sync", *gate.command]
    start = time.perf_counter()
    completed = subprocess.run(
        argv, cwd=project, env=project_environment(), capture_output=True, text=True, check=False
    )
    return GateResult(
        gate.name,
        passed=completed.returncode == 0,
        seconds=time.perf_counter() - start,
        output=(completed.stdout + completed.stderr).strip(),
    )
