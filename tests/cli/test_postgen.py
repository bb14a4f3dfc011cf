"""Steps after rendering: their failures keep the project and name the step to re-run."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest
from support import git
from typer.testing import CliRunner

from aiscaffold import gates, postgen
from aiscaffold.cli import app
from aiscaffold.errors import PostGenerationError, StepsCancelledError
from aiscaffold.tool_output import failure_reason

runner = CliRunner()


def test_failed_uv_lock_keeps_the_project_and_says_how_to_rerun(
    throwaway_template: Callable[..., Path], tmp_path: Path
) -> None:
    root = throwaway_template()
    (root / "templates" / "api-service" / "pyproject.toml").write_text("[project\nbroken = ")
    git("add", "-A", cwd=root)
    git("commit", "-qm", "broken pyproject", cwd=root)
    project = tmp_path / "my projects" / "out"  # a space: the hint's `cd` must quote the path
    project.parent.mkdir()
    result = runner.invoke(
        app, ["new", "api-service", str(project), "--defaults", "--source", str(root), "--vcs-ref", "HEAD"],
        env={"CI": "true"},
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "uv lock failed" in result.output
    # The steps after the lock did not run either, so the hint names them all, in order.
    hint = " ".join(result.output.split())  # the console wraps long lines
    assert f"cd '{project}' && uv lock && git init -b main" in hint
    assert 'git commit -m "Initial commit" && uv sync`' in hint  # this template has no pre-commit hooks
    assert (project / "README.md").is_file()
    assert isinstance(result.exception, SystemExit)  # an error of ours, not a crash


def test_missing_uv_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uv", None)  # `from uv import ...` now raises ImportError
    monkeypatch.setenv("PATH", "")
    with pytest.raises(PostGenerationError, match="uv is not installed") as raised:
        postgen.find_uv()
    assert "pip install uv" in raised.value.hint


def _no_status(_: str) -> AbstractContextManager[None]:
    return nullcontext()


def test_git_step_commits_with_the_project_author_when_git_has_no_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.gitconfig
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    project = tmp_path / "p"
    project.mkdir()
    (project / "README.md").write_text("x")
    answers = {"author_name": "Ada", "author_email": "ada@example.com"}
    steps = postgen.run_post_generation(project, postgen.PostGenOptions(install=False), answers, _no_status)
    assert [step.name for step in steps if step.done] == ["git init + first commit"]
    author = subprocess.run(
        ["git", "log", "-1", "--format=%an <%ae>"], cwd=project, capture_output=True, text=True, check=True
    )
    assert author.stdout.strip() == "Ada <ada@example.com>"


def test_git_step_is_skipped_inside_another_repository(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    project = tmp_path / "p"
    project.mkdir()
    steps = postgen.run_post_generation(project, postgen.PostGenOptions(install=False), {}, _no_status)
    assert steps[0].done is False
    assert "inside another git repository" in steps[0].detail
    assert not (project / ".git").exists()


UV_OFFLINE = """Using CPython 3.11.7 interpreter at: /usr/bin/python3
error: Request failed after 3 retries in 6.6s
  cause: Failed to fetch: http://127.0.0.1:9/simple/fastapi/
  cause: error sending request for url (http://127.0.0.1:9/simple/fastapi/)
  cause: tcp connect error
  cause: Connection refused (os error 111)
"""
UV_UNSOLVABLE = """error: No solution found when resolving dependencies
  cause: Because only fastapi<=0.165.0 is available and your project depends on fastapi>=999, we can \
conclude that your project's requirements are unsatisfiable.
"""


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (
            UV_OFFLINE,
            "Request failed after 3 retries in 6.6s: Failed to fetch: http://127.0.0.1:9/simple/fastapi/"
            " ... Connection refused (os error 111)",
        ),
        (UV_UNSOLVABLE, "No solution found when resolving dependencies: Because only fastapi<=0.165.0 is"),
        ("fatal: not a git repository\n", "not a git repository"),
        ("something odd\nthe last word\n", "the last word"),
        ("", ""),
    ],
)
def test_failure_reason_keeps_what_and_why_on_one_line(output: str, reason: str) -> None:
    found = failure_reason(output)
    assert found.startswith(reason)
    assert "\n" not in found


def test_an_interrupted_step_keeps_the_project_and_lists_what_is_left(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "0"\n')

    def interrupted(_: str) -> AbstractContextManager[None]:
        raise KeyboardInterrupt  # as Ctrl-C, or SIGTERM/SIGHUP through the CLI's handlers, would

    with pytest.raises(StepsCancelledError) as raised:
        postgen.run_post_generation(project, postgen.PostGenOptions(git=False), {}, interrupted)
    assert raised.value.exit_code == 130
    assert raised.value.hint == f"finish it with `cd {shlex.quote(str(project))} && uv lock && uv sync`"
    assert (project / "pyproject.toml").is_file()


@pytest.fixture
def rendered_project(tmp_path: Path) -> Path:
    """A rendered project with a pyproject.toml and a pre-commit configuration (nothing run yet)."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "p"\nversion = "0"\n')
    (project / ".pre-commit-config.yaml").write_text("repos: []\n")
    return project


def _plan(project: Path, answers: dict[str, object], **options: bool) -> list[tuple[str, str]]:
    context = postgen.Context(project, postgen.PostGenOptions(**options), answers, rendered=())
    return [(step.name, blocked) for step, blocked in postgen.plan_steps(context)]


def test_every_step_is_planned_in_order_when_everything_applies(rendered_project: Path) -> None:
    assert _plan(rendered_project, {"use_precommit": True}) == [
        ("uv lock", ""),
        ("git init + first commit", ""),
        ("uv sync", ""),
        ("pre-commit install", ""),
    ]


def test_without_install_the_hooks_are_skipped_and_say_why(rendered_project: Path) -> None:
    assert _plan(rendered_project, {"use_precommit": True}, install=False) == [
        ("git init + first commit", ""),
        ("pre-commit install", "skipped with --no-install"),
    ]


def test_inside_another_repository_git_and_the_hooks_are_skipped(rendered_project: Path) -> None:
    git("init", "-q", cwd=rendered_project.parent)
    assert _plan(rendered_project, {"use_precommit": True}) == [
        ("uv lock", ""),
        ("git init + first commit", "the folder is inside another git repository; commit it there"),
        ("uv sync", ""),
        ("pre-commit install", "needs the project's own git repository"),
    ]


def test_hooks_are_not_part_of_a_project_that_did_not_choose_pre_commit(rendered_project: Path) -> None:
    # Not even as a skipped line: the project never asked for them.
    assert [name for name, _ in _plan(rendered_project, {"use_precommit": False})] == [
        "uv lock",
        "git init + first commit",
        "uv sync",
    ]


def test_uv_runs_without_our_virtualenv_or_a_shell_pinned_pyenv_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # `pyenv shell 3.11` sets PYENV_VERSION, which beats the project's .python-version in pyenv's shims: uv
    # found no 3.12 for a 3.12 project and tried to download one (offline: `uv lock failed`).
    monkeypatch.setenv("VIRTUAL_ENV", "/aiscaffold/.venv")
    monkeypatch.setenv("PYENV_VERSION", "3.11.7")
    given: list[dict[str, str]] = []

    def run(argv: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        given.append(dict(options["env"]))  # type: ignore[call-overload]
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(subprocess, "run", run)  # every module's `subprocess.run`: steps and gates alike
    postgen._run(["uv", "lock"], tmp_path, command="uv lock")
    gates._run_gate("uv", gates.GATES[0], tmp_path)

    assert len(given) == 2
    for environment in given:
        assert "VIRTUAL_ENV" not in environment
        assert "PYENV_VERSION" not in environment
        assert environment["PATH"] == os.environ["PATH"]  # the rest is passed on
