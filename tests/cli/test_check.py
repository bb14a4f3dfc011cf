"""`aiscaffold check`: where each project stands against the newest template version, for people and CI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support import git
from typer.testing import CliRunner

from aiscaffold.cli import EXIT_UPDATE_PENDING, app

runner = CliRunner()


def generate(root: Path, destination: Path, ref: str) -> Path:
    argv = ["new", "api-service", str(destination), "--defaults", "--no-install", "--source", str(root)]
    result = runner.invoke(app, [*argv, "--vcs-ref", ref], env={"CI": "true"})
    assert result.exit_code == 0, result.output
    return destination


def tag(root: Path, name: str) -> None:
    readme = root / "templates" / "api-service" / "README.md.jinja"
    readme.write_text(readme.read_text() + f"\nChanged in {name}.\n")
    git("commit", "-qam", f"template {name}", cwd=root)
    git("tag", name, cwd=root)


def check(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["check", *args], env={"CI": "true"})
    return result.exit_code, result.output


@pytest.fixture
def root(throwaway_template: Callable[..., Path]) -> Path:
    template_root = throwaway_template()
    tag(template_root, "v1.1.0")
    tag(template_root, "v2.0.0")
    return template_root


def test_three_projects_at_different_versions(root: Path, tmp_path: Path) -> None:
    oldest = generate(root, tmp_path / "oldest", "v1.0.0")
    middle = generate(root, tmp_path / "middle", "v1.1.0")
    newest = generate(root, tmp_path / "newest", "v2.0.0")

    code, output = check(str(oldest), str(middle), str(newest), "--json")

    assert code == EXIT_UPDATE_PENDING, output
    statuses = {Path(status["path"]).name: status for status in json.loads(output)}
    assert {name: status["version"] for name, status in statuses.items()} == {
        "oldest": "v1.0.0",
        "middle": "v1.1.0",
        "newest": "v2.0.0",
    }
    assert {name: status["newest"] for name, status in statuses.items()} == dict.fromkeys(statuses, "v2.0.0")
    assert {name: status["pending"] for name, status in statuses.items()} == {
        "oldest": True,
        "middle": True,
        "newest": False,
    }


def test_an_up_to_date_project_exits_0(root: Path, tmp_path: Path) -> None:
    project = generate(root, tmp_path / "current", "v2.0.0")
    code, output = check(str(project))
    assert code == 0, output
    assert "v2.0.0, up to date" in output


def test_a_pending_update_is_said_in_words(root: Path, tmp_path: Path) -> None:
    project = generate(root, tmp_path / "behind", "v1.0.0")
    code, output = check(str(project))
    assert code == EXIT_UPDATE_PENDING
    assert "v1.0.0 -> v2.0.0 update pending" in " ".join(output.split())


def test_a_folder_that_is_not_a_project_is_reported_and_the_rest_checked(root: Path, tmp_path: Path) -> None:
    project = generate(root, tmp_path / "current", "v2.0.0")
    code, output = check(str(tmp_path / "nothing-here"), str(project))
    assert code == 2
    assert "cannot check" in output
    assert "up to date" in output
