"""`aiscaffold drift`: template-owned files that silently diverged, found and healed (throwaway template)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support import git, outcome
from typer.testing import CliRunner

from aiscaffold.cli import app

runner = CliRunner()
README_V1 = "# {{ project_name }}\n\nIntro.\n\n{{ greeting }}\n"
README_V2 = README_V1 + "\nAdded in 1.1.\n"


@pytest.fixture
def project(throwaway_template: Callable[..., Path], tmp_path: Path) -> Path:
    root = throwaway_template(readme=README_V1)
    (root / "templates" / "api-service" / "NOTES.md.jinja").write_text("Notes from the template.\n")
    (root / "templates" / "api-service" / "CHANGELOG.md").write_text("# Changelog\n")
    git("add", "-A", cwd=root)
    git("commit", "-qm", "notes", cwd=root)
    git("tag", "-f", "v1.0.0", cwd=root)
    destination = tmp_path / "churn"
    result = runner.invoke(
        app,
        ["new", "api-service", str(destination), "--defaults", "--no-install", "--source", str(root),
         "--vcs-ref", "v1.0.0"],
        env={"CI": "true"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return destination


def run(*args: str) -> tuple[int, str]:
    return outcome(runner.invoke(app, list(args), env={"CI": "true"}))


def update_keeping_the_old_readme(project: Path, **also: str) -> None:
    """An update to v1.1.0 whose README change is lost: the merge is committed with the old README (and
    with the files in ``also``, name to text, changed while resolving it)."""
    root = project.parent / "template-root"
    (root / "templates" / "api-service" / "README.md.jinja").write_text(README_V2)
    git("commit", "-qam", "v1.1.0", cwd=root)
    git("tag", "v1.1.0", cwd=root)
    code, output = run("update", str(project), "--defaults")
    assert code == 0, output
    git("checkout", "HEAD", "--", "README.md", cwd=project)
    for name, text in also.items():
        (project / f"{name}.md").write_text(text)
    git("commit", "-qa", "--no-edit", cwd=project)


def test_a_fresh_project_has_no_drift(project: Path) -> None:
    code, output = run("drift", str(project))
    assert code == 0, output
    assert "No drift" in output


def test_the_users_own_commits_are_not_drift(project: Path) -> None:
    notes = project / "NOTES.md"
    notes.write_text("Our own notes.\n")
    git("commit", "-qam", "our notes", cwd=project)
    assert run("drift", str(project))[0] == 0


def test_a_template_change_lost_in_an_update_is_found_and_healed(project: Path) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("Intro.", "Intro by the user."))
    git("commit", "-qam", "user edit", cwd=project)
    update_keeping_the_old_readme(project)
    assert "Added in 1.1." not in readme.read_text()

    code, output = run("drift", str(project), "--json")
    assert code == 4, output
    (finding,) = json.loads(output)
    assert finding["path"] == "README.md"
    assert "after v1.0.0 never reached it" in finding["reason"]

    code, output = run("drift", str(project), "--heal", "README.md")
    assert code == 0, output
    healed = readme.read_text()
    assert "Intro by the user." in healed  # the user's edit stays
    assert "Added in 1.1." in healed  # the template's change arrives
    assert git("status", "--porcelain", cwd=project) == "M README.md"  # left for review
    git("commit", "-qam", "healed", cwd=project)
    assert run("drift", str(project))[0] == 0


def test_a_change_hidden_in_an_update_commit_is_drift(project: Path) -> None:
    # Nobody's own commit changed NOTES.md; the edit rode along in the update's merge commit.
    update_keeping_the_old_readme(
        project, NOTES="Changed while resolving an update.\n", CHANGELOG="# Changelog\n\nThe user's.\n"
    )
    code, output = run("drift", str(project), "--json")
    assert code == 4, output
    paths = {finding["path"] for finding in json.loads(output)}
    assert paths == {"README.md", "NOTES.md"}  # not CHANGELOG.md: _skip_if_exists, the user's


def test_healing_a_file_that_has_not_drifted_is_refused(project: Path) -> None:
    code, output = run("drift", str(project), "--heal", "NOTES.md")
    assert code == 2, output
    assert "not a drifted file: NOTES.md" in output


def test_a_project_without_pristine_history(project: Path) -> None:
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("greeting: hello", "greeting: changed by hand"))
    git("commit", "-qam", "answers edited by hand", cwd=project)
    code, output = run("drift", str(project))
    assert code == 2, output
    assert "no pristine render" in output
