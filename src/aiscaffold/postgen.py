"""Steps after rendering, in Python rather than copier ``_tasks`` (so no template ever needs ``--trust``).

The steps are a table, like ``gates.GATES``: each says when it is part of the run, what can stop it (no
git, say: then it is skipped with that reason), how to run it, and the command a person types to run it
by hand. ``run_post_generation`` decides every step once, before the first runs; the hint after a failure
or a Ctrl-C ("finish it with `...`") is read off those same decisions.

Order matters: the lock file is made before the first commits so they hold it, and the hooks are
installed last because they need both the git repository and the synced environment.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiscaffold import git
from aiscaffold.errors import GitError, PostGenerationError, StepsCancelledError
from aiscaffold.history import pristine_message, recorded_answers
from aiscaffold.identity import commit_identity
from aiscaffold.tool_output import failure_reason

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


@dataclass(frozen=True)
class Context:
    """What a step may look at: the project, the options, its answers and the files the template rendered."""

    project: Path
    options: PostGenOptions
    answers: Mapping[str, Any]
    rendered: Sequence[str]


@dataclass(frozen=True)
class Step:
    """One step after rendering.

    Attributes:
        name: Its name in the summary.
        command: What a person types to run it by hand (the hints list those still to run).
        applies: Whether it is part of this run at all (without a line in the summary when not).
        run: Does it; raises ``StepFailedError`` naming the command that failed.
        blocked: Why it cannot run although it applies ("" when it can), given the names of the steps
            before it that will run; a blocked step is skipped with that reason.
        status: The spinner's message while it runs (none when empty).
    """

    name: str
    command: str
    applies: Callable[[Context], bool]
    run: Callable[[Context], None]
    blocked: Callable[[Context, frozenset[str]], str] = lambda context, planned: ""
    status: str = ""


class StepFailedError(Exception):
    """A step's command exited non-zero; ``run_post_generation`` turns it into the user-facing error."""

    def __init__(self, command: str, reason: str) -> None:
        super().__init__(f"{command}: {reason}")
        self.command = command
        self.reason = reason


GIT_RERUN = 'git init -b main && git add -A && git commit -m "Initial commit"'
HOOKS_RERUN = "uv run pre-commit install"
# The steps other steps depend on, by their names in the table below.
GIT_STEP = "git init + first commit"
SYNC_STEP = "uv sync"


def _installs(context: Context) -> bool:
    return context.options.install and (context.project / "pyproject.toml").is_file()


def _wants_git(context: Context) -> bool:
    return context.options.git


def _git_blocked(context: Context, _: frozenset[str]) -> str:
    if not git.available():
        return "git is not installed"
    enclosing = git.enclosing_repository(context.project)
    if enclosing is None:
        return ""
    if enclosing.is_folder_itself:
        # `--force` into the user's repository: a commit would take their unrelated work along.
        return "the folder was a git repository already; nothing was committed (review with `git status`)"
    # A nested repository would surprise more than help (a monorepo): the user commits it there.
    return "the folder is inside another git repository; commit it there"


def _wants_hooks(context: Context) -> bool:
    # The hooks are installed only for projects that chose pre-commit (and so have its configuration).
    chose = context.options.precommit and bool(context.answers.get("use_precommit", False))
    return chose and (context.project / ".pre-commit-config.yaml").is_file()


def _hooks_blocked(_: Context, planned: frozenset[str]) -> str:
    if SYNC_STEP not in planned:
        return "skipped with --no-install"
    if GIT_STEP not in planned:
        return "needs the project's own git repository"
    return ""


def _uv(*args: str) -> Callable[[Context], None]:
    def run(context: Context) -> None:
        _run([find_uv(), *args], context.project, command=" ".join(["uv", *args]))

    return run


def _first_commits(context: Context) -> None:
    """``git init``, then a first commit of the rendered files alone (the pristine render later updates merge
    from, see ``history``), then a second with what the steps before added (``uv.lock``)."""
    project, rendered = context.project, context.rendered
    env = commit_identity(context.answers)
    try:
        git.run(project, "init", "-q", "-b", "main")
        if rendered:
            git.run(project, "add", "-f", "--pathspec-from-file=-", "--pathspec-file-nul",
                    stdin="\0".join(rendered) + "\0")  # fmt: skip
            _commit(project, _pristine_message(project, context.answers), env)
        git.run(project, "add", "-A")
        if not rendered or git.has_staged_changes(project):
            title = "Initial commit from aiscaffold" if not rendered else "chore: lock dependencies (uv lock)"
            _commit(project, title, env)
    except GitError as error:
        raise StepFailedError(f"git {error.command}", error.reason) from None


def _install_hooks(context: Context) -> None:
    _run(
        [find_uv(), "run", "--no-sync", "pre-commit", "install"],
        context.project,
        command="pre-commit install",
    )


STEPS: tuple[Step, ...] = (
    Step("uv lock", "uv lock", _installs, _uv("lock"), status="Resolving dependencies (uv lock)"),
    Step(GIT_STEP, GIT_RERUN, _wants_git, _first_commits, blocked=_git_blocked,
         status="Creating the git repository"),
    Step(SYNC_STEP, "uv sync", _installs, _uv("sync"), status="Installing the environment (uv sync)"),
    Step("pre-commit install", HOOKS_RERUN, _wants_hooks, _install_hooks, blocked=_hooks_blocked),
)  # fmt: skip


def run_post_generation(
    project: Path,
    options: PostGenOptions,
    answers: Mapping[str, Any],
    status: StatusFactory,
    rendered: Sequence[str] = (),
) -> list[StepOutcome]:
    """Run the steps that apply in ``project``; raise ``PostGenerationError`` naming the first that fails.

    ``rendered`` lists the files the template rendered: the first commit holds them alone. The error's
    hint lists the command of the failed step and of every planned step after it, which did not run either.
    """
    context = Context(project, options, answers, rendered)
    plan = plan_steps(context)
    pending = [step for step, blocked in plan if not blocked]  # what is left to run, for the hints
    # Quoted for the shell: the hints are meant to be pasted, and a folder name may hold spaces.
    cd = f"cd {shlex.quote(str(project))}"
    outcomes: list[StepOutcome] = []
    try:
        for step, blocked in plan:
            if blocked:
                outcomes.append(StepOutcome(step.name, done=False, detail=blocked))
                continue
            with status(step.status) if step.status else nullcontext():
                step.run(context)
            outcomes.append(StepOutcome(step.name, done=True))
            pending.remove(step)
    except StepFailedError as failed:
        raise PostGenerationError(
            f"{failed.command} failed: {failed.reason}",
            hint=f"the project was kept; fix the cause, then run `{_commands(cd, pending)}`",
        ) from None
    except KeyboardInterrupt:
        raise StepsCancelledError(
            f"cancelled; the project was written to {project}",
            hint=f"finish it with `{_commands(cd, pending)}`" if pending else "",
        ) from None
    return outcomes


def _commands(cd: str, steps: Sequence[Step]) -> str:
    return " && ".join([cd, *(step.command for step in steps)])


def plan_steps(context: Context, steps: Sequence[Step] = STEPS) -> list[tuple[Step, str]]:
    """The steps that apply, in order, each with why it cannot run ("" when it will)."""
    plan: list[tuple[Step, str]] = []
    for step in steps:
        if step.applies(context):
            planned = frozenset(earlier.name for earlier, blocked in plan if not blocked)
            plan.append((step, step.blocked(context, planned)))
    return plan


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


def _pristine_message(project: Path, answers: Mapping[str, Any]) -> str:
    version = str(recorded_answers(project).get("_commit", "")) or "unversioned"
    return pristine_message("Initial commit from aiscaffold", str(answers.get("template", "")), version)


def _commit(project: Path, message: str, env: Mapping[str, str]) -> None:
    git.run(project, "commit", "-q", "--no-verify", "-m", message, env=env)


# What must not reach the project's uv commands (the steps here, its gates, an update's sync): our own
# virtualenv and import path (uv would warn or pick them up), and a shell's pyenv version (`pyenv shell
# 3.11`), which overrides the project's `.python-version` in pyenv's shims, so uv found no 3.12 for a 3.12
# project and tried to download one.
NOT_FOR_THE_PROJECT = frozenset({"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "PYENV_VERSION"})


def project_environment() -> dict[str, str]:
    """This process's environment without what would make uv pick another environment or Python."""
    return {name: value for name, value in os.environ.items() if name not in NOT_FOR_THE_PROJECT}


def _run(argv: list[str], cwd: Path, *, command: str) -> None:
    completed = subprocess.run(
        argv, cwd=cwd, env=project_environment(), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        reason = failure_reason(completed.stderr or completed.stdout) or f"exit code {completed.returncode}"
        raise StepFailedError(command, reason)
