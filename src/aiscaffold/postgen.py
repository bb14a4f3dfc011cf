"""Steps after rendering, in Python rather than copier ``_tasks`` (so no template ever needs ``--trust``).

Order matters: the lock file is made before the first commit so the commit holds it, and the hooks are
installed last because they need both the git repository and the synced environment.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiscaffold.errors import PostGenerationError, StepsCancelledError
from aiscaffold.history import pristine_message, recorded_answers
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


GIT_RERUN = 'git init -b main && git add -A && git commit -m "Initial commit"'
HOOKS_RERUN = "uv run pre-commit install"


def run_post_generation(
    project: Path,
    options: PostGenOptions,
    answers: Mapping[str, Any],
    status: StatusFactory,
    rendered: Sequence[str] = (),
) -> list[StepOutcome]:
    """Run the chosen steps in ``project``; raise ``PostGenerationError`` naming the first that fails.

    ``rendered`` lists the files the template rendered: the first commit holds them alone, as the pristine
    render later updates merge from (see ``history``). Its hint lists the command of the failed step and of
    every step after it, which did not run either.
    """
    pending = _planned_commands(project, options)
    # Quoted for the shell: the hints are meant to be pasted, and a folder name may hold spaces.
    cd = f"cd {shlex.quote(str(project))}"
    try:
        return _run_steps(project, options, answers, status, pending, rendered)
    except _StepFailedError as failed:
        raise PostGenerationError(
            f"{failed.step} failed: {failed.reason}",
            hint=f"the project was kept; fix the cause, then run `{' && '.join([cd, *pending])}`",
        ) from None
    except KeyboardInterrupt:
        raise StepsCancelledError(
            f"cancelled; the project was written to {project}",
            hint=f"finish it with `{' && '.join([cd, *pending])}`" if pending else "",
        ) from None


def _planned_commands(project: Path, options: PostGenOptions) -> list[str]:
    """The command a person would type for each step that will run, in order."""
    install = options.install and (project / "pyproject.toml").is_file()
    git = shutil.which("git")
    commits = options.git and git is not None and not _inside_work_tree(git, project.parent)
    hooks = options.precommit and install and commits and (project / ".pre-commit-config.yaml").is_file()
    planned = [("uv lock", install), (GIT_RERUN, commits), ("uv sync", install), (HOOKS_RERUN, hooks)]
    return [command for command, runs in planned if runs]


def _run_steps(
    project: Path,
    options: PostGenOptions,
    answers: Mapping[str, Any],
    status: StatusFactory,
    pending: list[str],
    rendered: Sequence[str],
) -> list[StepOutcome]:
    # Each finished step drops its command from the front of ``pending``: what is left is what to re-run.
    outcomes: list[StepOutcome] = []
    install = options.install and (project / "pyproject.toml").is_file()
    if install:
        with status("Resolving dependencies (uv lock)"):
            _run([find_uv(), "lock"], project, step="uv lock")
        outcomes.append(StepOutcome("uv lock", done=True))
        pending.remove("uv lock")
    git_done = False
    if options.git:
        git_done, detail = _git_first_commit(project, answers, status, rendered)
        outcomes.append(StepOutcome("git init + first commit", done=git_done, detail=detail))
        if git_done:
            pending.remove(GIT_RERUN)
    if install:
        with status("Installing the environment (uv sync)"):
            _run([find_uv(), "sync"], project, step="uv sync")
        outcomes.append(StepOutcome("uv sync", done=True))
        pending.remove("uv sync")
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


def _git_first_commit(
    project: Path, answers: Mapping[str, Any], status: StatusFactory, rendered: Sequence[str]
) -> tuple[bool, str]:
    git = shutil.which("git")
    if git is None:
        return False, "git is not installed"
    if _inside_work_tree(git, project.parent):
        return False, "the folder is inside another git repository; commit it there"
    env = _identity_env(answers)
    with status("Creating the git repository"):
        _run([git, "init", "-q", "-b", "main"], project, step="git init")
        if rendered:
            _run([git, "add", "-f", "--pathspec-from-file=-", "--pathspec-file-nul"], project,
                 step="git add", stdin="\0".join(rendered) + "\0")  # fmt: skip
            _commit(git, project, _pristine_message(project, answers), env)
        _run([git, "add", "-A"], project, step="git add")
        if not rendered or _has_staged_changes(git, project):
            title = "Initial commit from aiscaffold" if not rendered else "chore: lock dependencies (uv lock)"
            _commit(git, project, title, env)
    return True, ""


def _pristine_message(project: Path, answers: Mapping[str, Any]) -> str:
    version = str(recorded_answers(project).get("_commit", "")) or "unversioned"
    return pristine_message("Initial commit from aiscaffold", str(answers.get("template", "")), version)


def _commit(git: str, project: Path, message: str, env: Mapping[str, str]) -> None:
    _run([git, "commit", "-q", "--no-verify", "-m", message], project, step="git commit", env=env)


def _has_staged_changes(git: str, project: Path) -> bool:
    completed = subprocess.run([git, "diff", "--cached", "--quiet"], cwd=project, check=False)
    return completed.returncode != 0


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
    _run([find_uv(), "run", "--no-sync", "pre-commit", "install"], project, step="pre-commit install")
    return StepOutcome("pre-commit install", done=True)


class _StepFailedError(Exception):
    """A step's command exited non-zero; ``run_post_generation`` turns it into the user-facing error."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


def _run(
    argv: list[str], cwd: Path, *, step: str, env: Mapping[str, str] | None = None, stdin: str | None = None
) -> None:
    # Our own virtualenv must not leak into the project's uv commands (uv would warn or pick it up).
    environment = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}}
    environment |= dict(env or {})
    completed = subprocess.run(
        argv, cwd=cwd, env=environment, input=stdin, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        reason = failure_reason(completed.stderr or completed.stdout) or f"exit code {completed.returncode}"
        raise _StepFailedError(step, reason)


def failure_reason(output: str) -> str:
    """One line from a tool's error output: its ``error:``/``fatal:`` line and the causes that explain it.

    uv prints ``error: <what>`` then ``cause:`` lines from the general to the specific ("Request failed",
    ..., "Connection refused"); the first and the last cause carry the meaning, the middle ones repeat it.
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    heads = [i for i, line in enumerate(lines) if line.lower().startswith(("error:", "fatal:"))]
    if not heads:
        return lines[-1] if lines else ""
    head = lines[heads[0]].split(":", 1)[1].strip()
    causes = [line.split(":", 1)[1].strip() for line in lines[heads[0] + 1 :] if line.startswith("cause:")]
    if not causes:
        return head
    explained = causes[0] if len(causes) == 1 else f"{causes[0]} ... {causes[-1]}"
    return f"{head}: {explained}"
