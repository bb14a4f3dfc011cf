"""Steps after rendering, in Python rather than copier ``_tasks`` (so no template ever needs ``--trust``).

Order matters: the lock file is made before the first commit so the commit holds it, and the hooks are
installed last because they need both the git repository and the synced environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiscaffold.errors import PostGenerationError
from aiscaffold.identity import git_config_value

StatusFactory = Callable[[str], AbstractContextManager[Any]]


@dataclass(frozen=True)
class PostGenOptions:
    """Which steps to run.

    Attributes:
        git: ``git init`` and a first commit.
        install: ``uv lock`` and ``uv sync`` (and with them the pre-commit hooks).
        precommit: ``pre-commit install``, when the project chose pre-commit.
    """

    git: bool = True
    install: bool = True
    precommit: bool = True


@dataclass(frozen=True)
class StepOutcome:
    """One step's result for the summary: ``done`` False means skipped, with ``detail`` saying why."""

    name: str
    done: bool
    detail: str = ""


def run_post_generation(
    project: Path, options: PostGenOptions, answers: Mapping[str, Any], status: StatusFactory
) -> list[StepOutcome]:
    """Run the chosen steps in ``project``; raise ``PostGenerationError`` naming the first that fails."""
    outcomes: list[StepOutcome] = []
    has_pyproject = (project / "pyproject.toml").is_file()
    install = options.install and has_pyproject
    if install:
        uv = find_uv()
        with status("Resolving dependencies (uv lock)"):
            _run([uv, "lock"], project, step="uv lock", rerun="uv lock")
        outcomes.append(StepOutcome("uv lock", done=True))
    git_done = False
    if options.git:
        git_done, detail = _git_first_commit(project, answers, status)
        outcomes.append(StepOutcome("git init + first commit", done=git_done, detail=detail))
    if install:
        with status("Installing the environment (uv sync)"):
            _run([find_uv(), "sync"], project, step="uv sync", rerun="uv sync")
        outcomes.append(StepOutcome("uv sync", done=True))
    if options.precommit and (project / ".pre-commit-config.yaml").is_file():
        outcomes.append(_install_hooks(project, installed=install, git_done=git_done))
    return outcomes


def find_uv() -> str:
    """The uv executable, or ``PostGenerationError`` saying how to install it."""
    # Prefer the uv that ships with aiscaffold (a dependency): it is there even when the venv is not on PATH.
    try:
        from uv import find_uv_bin  # noqa: PLC0415

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        uv = shutil.which("uv")
    if uv is None:
        raise PostGenerationError(
            "uv is not installed, so the environment was not created",
            hint="install it with `pip install uv`, then run `uv sync` in the project (or pass --no-install)",
        )
    return uv


def _git_first_commit(project: Path, answers: Mapping[str, Any], status: StatusFactory) -> tuple[bool, str]:
    git = shutil.which("git")
    if git is None:
        return False, "git is not installed"
    if _inside_work_tree(git, project.parent):
        return False, "the folder is inside another git repository; commit it there"
    with status("Creating the git repository"):
        _run([git, "init", "-q", "-b", "main"], project, step="git init", rerun="git init")
        _run([git, "add", "-A"], project, step="git add", rerun="git add -A")
        _run(
            [git, "commit", "-q", "--no-verify", "-m", "Initial commit from aiscaffold"],
            project,
            step="git commit",
            rerun='git commit -m "Initial commit"',
            env=_identity_env(answers),
        )
    return True, ""


def _inside_work_tree(git: str, folder: Path) -> bool:
    completed = subprocess.run(
        [git, "rev-parse", "--is-inside-work-tree"], cwd=folder, capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() == "true"


def _identity_env(answers: Mapping[str, Any]) -> dict[str, str]:
    # A machine without a git identity must still get its first commit: fall back to the project's author.
    env: dict[str, str] = {}
    if git_config_value("user.name") is None:
        name = str(answers.get("author_name", "aiscaffold"))
        env |= {"GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name}
    if git_config_value("user.email") is None:
        email = str(answers.get("author_email", "aiscaffold@localhost"))
        env |= {"GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email}
    return env


def _install_hooks(project: Path, *, installed: bool, git_done: bool) -> StepOutcome:
    if not installed:
        return StepOutcome("pre-commit install", done=False, detail="skipped with --no-install")
    if not git_done:
        return StepOutcome("pre-commit install", done=False, detail="needs the project's own git repository")
    _run(
        [find_uv(), "run", "--no-sync", "pre-commit", "install"],
        project,
        step="pre-commit install",
        rerun="uv run pre-commit install",
    )
    return StepOutcome("pre-commit install", done=True)


def _run(argv: list[str], cwd: Path, *, step: str, rerun: str, env: Mapping[str, str] | None = None) -> None:
    # Our own virtualenv must not leak into the project's uv commands (uv would warn or pick it up).
    environment = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}}
    environment |= dict(env or {})
    completed = subprocess.run(argv, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        lines = (completed.stderr or completed.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit code {completed.returncode}"
        raise PostGenerationError(
            f"{step} failed: {reason}",
            hint=f"the project was kept; fix the cause, then run `cd {cwd} && {rerun}`",
        )
