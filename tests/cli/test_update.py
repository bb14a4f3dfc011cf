"""`aiscaffold update` and plain `copier update` on a throwaway template with two tagged versions."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import THROWAWAY_COPIER_YML, git, outcome, snapshot
from typer.testing import CliRunner

from aiscaffold.catalog import bundled_catalog
from aiscaffold.cli import app
from aiscaffold.postgen import find_uv

runner = CliRunner()
COPIER = Path(sys.executable).with_name("copier")
README_V1 = "# {{ project_name }}\n\nIntro.\n\n{{ greeting }}\n"


@pytest.fixture
def project(throwaway_template: Callable[..., Path], tmp_path: Path) -> Path:
    """A project generated from the template at v1.0.0 and committed, with the template root beside it."""
    root = throwaway_template(readme=README_V1)
    destination = tmp_path / "churn"
    result = runner.invoke(
        app,
        ["new", "api-service", str(destination), "--defaults", "--no-install", "--source", str(root),
         "--vcs-ref", "v1.0.0"],
        env={"CI": "true"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return destination


def template_root(project: Path) -> Path:
    return project.parent / "template-root"


def release(root: Path, tag: str, readme: str, extra_file: str | None = None) -> None:
    (root / "templates" / "api-service" / "README.md.jinja").write_text(readme)
    if extra_file:
        (root / "templates" / "api-service" / extra_file).write_text("added in a later version\n")
    git("add", "-A", cwd=root)
    git("commit", "-qm", f"template {tag}", cwd=root)
    git("tag", tag, cwd=root)


def user_edit(project: Path, old: str, new: str) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace(old, new))
    git("commit", "-qam", "user edit", cwd=project)


def update(project: Path, *args: str) -> tuple[int, str]:
    return outcome(runner.invoke(app, ["update", str(project), *args], env={"CI": "true"}))


def test_plain_copier_update_brings_the_change_and_keeps_the_user_edit(project: Path) -> None:
    user_edit(project, "Intro.", "Intro, edited by the user.")
    release(template_root(project), "v1.1.0", README_V1 + "\nNew section from v1.1.\n", extra_file="NEW.md")
    completed = subprocess.run(
        [COPIER, "update", "--defaults", "--quiet"], cwd=project, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    readme = (project / "README.md").read_text()
    assert "Intro, edited by the user." in readme
    assert "New section from v1.1." in readme
    assert "<<<<<<<" not in readme
    assert (project / "NEW.md").is_file()
    assert "_commit: v1.1.0" in (project / ".copier-answers.yml").read_text()


def test_aiscaffold_update_reports_changed_files(project: Path) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n")
    code, output = update(project, "--defaults")
    assert code == 0, output
    assert "Updated from v1.0.0 to v1.1.0" in output
    assert "README.md" in output
    assert "More." in (project / "README.md").read_text()


def test_without_a_terminal_the_previous_answers_are_kept(project: Path) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n")
    code, output = update(project)  # no --defaults: every question already has the project's answer
    assert code == 0, output
    assert "Updated from v1.0.0 to v1.1.0" in output


def test_without_a_terminal_only_new_questions_need_an_answer(project: Path) -> None:
    root = template_root(project)
    (root / "copier.yml").write_text(
        (root / "copier.yml").read_text() + "colour:\n  type: str\n  default: blue\n"
    )
    release(root, "v1.1.0", README_V1 + "\n{{ colour }}\n")
    code, output = update(project)
    assert code == 2, output
    assert "these questions have no answer: colour" in " ".join(output.split())
    code, output = update(project, "--data", "colour=red")
    assert code == 0, output
    assert "red" in (project / "README.md").read_text()


def test_conflicting_edit_is_reported_with_exit_1(project: Path) -> None:
    user_edit(project, "Intro.", "Intro by the user.")
    release(template_root(project), "v1.1.0", README_V1.replace("Intro.", "Intro by the template."))
    code, output = update(project, "--defaults")
    assert code == 1, output
    assert "conflict" in output
    assert "README.md" in output
    assert "<<<<<<<" in (project / "README.md").read_text()


def test_conflicts_as_rej_files(project: Path) -> None:
    user_edit(project, "Intro.", "Intro by the user.")
    release(template_root(project), "v1.1.0", README_V1.replace("Intro.", "Intro by the template."))
    code, output = update(project, "--defaults", "--conflict", "rej")
    assert code == 1, output
    assert "README.md.rej" in output


def test_pretend_changes_nothing(project: Path) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n", extra_file="NEW.md")
    before = snapshot(project)
    code, output = update(project, "--defaults", "--pretend")
    assert code == 0, output
    assert snapshot(project) == before


def test_pretend_says_what_would_happen_to_each_file(project: Path) -> None:
    user_edit(project, "Intro.", "Intro by the user.")
    release(template_root(project), "v1.1.0", README_V1.replace("Intro.", "Intro by the template."), "NEW.md")
    before = snapshot(project)
    code, output = update(project, "--defaults", "--pretend")
    assert code == 0, output
    lines = [" ".join(line.split()) for line in output.splitlines()]
    assert "Would update from v1.0.0 to v1.1.0:" in lines
    assert "would add NEW.md" in lines
    assert "would change .copier-answers.yml" in lines
    assert "would change README.md (and leave a conflict to resolve)" in lines
    assert "Nothing was written (--pretend)." in lines
    assert snapshot(project) == before


def test_already_at_the_requested_version(project: Path) -> None:
    before = snapshot(project)
    code, output = update(project, "--defaults", "--vcs-ref", "v1.0.0")
    assert code == 0, output
    assert "Already at v1.0.0" in output
    assert snapshot(project) == before


def test_missing_answers_file(project: Path) -> None:
    git("mv", ".copier-answers.yml", "answers.yml", cwd=project)
    git("commit", "-qm", "rename", cwd=project)
    before = snapshot(project)
    code, output = update(project, "--defaults")
    assert code == 2
    assert "has no .copier-answers.yml" in output
    assert snapshot(project) == before


def test_dirty_tree(project: Path) -> None:
    (project / "README.md").write_text("uncommitted")
    before = snapshot(project)
    code, output = update(project, "--defaults")
    assert code == 2
    assert "uncommitted changes" in output
    assert snapshot(project) == before


def test_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / ".copier-answers.yml").write_text("_src_path: /x\n_commit: v1\n")
    code, output = update(tmp_path, "--defaults")
    assert code == 2
    assert "not a git repository" in output


def test_unreachable_source(project: Path) -> None:
    template_root(project).rename(project.parent / "moved-away")
    before = snapshot(project)
    code, output = update(project, "--defaults")
    assert code == 1
    assert "cannot be reached" in output
    assert snapshot(project) == before


def test_unknown_version(project: Path) -> None:
    before = snapshot(project)
    code, output = update(project, "--defaults", "--vcs-ref", "v9.9.9")
    assert code == 1, output
    assert "Error:" in output
    assert snapshot(project) == before


def test_changed_file_names_are_printed_exactly(project: Path) -> None:
    # `git status` starts its first line with a space; trimming the output once cut `.copier-answers.yml`.
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n", extra_file=".hidden name.md")
    code, output = update(project, "--defaults")
    assert code == 0, output
    listed = {line.split(maxsplit=1)[1] for line in output.splitlines() if line.startswith("  ")}
    assert {".copier-answers.yml", ".hidden name.md", "README.md"} <= listed


@pytest.mark.parametrize("kind", [name for name in bundled_catalog() if name != "api-service"])
def test_the_template_kind_cannot_change(project: Path, kind: str) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n")
    before = snapshot(project)
    code, output = update(project, "--defaults", "--data", f"template={kind}")
    assert code == 2, output
    assert f"this project is a api-service, not a {kind}" in " ".join(output.split())
    assert f"aiscaffold new {kind}" in output
    assert snapshot(project) == before


def test_the_template_kind_is_not_asked_again(project: Path) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n")
    code, output = update(project, "--defaults", "--data", "template=api-service")
    assert code == 0, output
    assert "template: api-service" in (project / ".copier-answers.yml").read_text()


def test_a_downgrade_is_refused_with_a_way_back(project: Path) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n")
    assert update(project, "--defaults")[0] == 0
    git("commit", "-qam", "update to v1.1.0", cwd=project)
    before = snapshot(project)
    code, output = update(project, "--defaults", "--vcs-ref", "v1.0.0")
    assert code == 2, output
    assert "updates only go forward" in output
    assert "Hint:" in output
    assert "git log" in output
    assert snapshot(project) == before


def test_a_dependency_change_relocks_the_project(
    project: Path, throwaway_pyproject: Callable[..., None]
) -> None:
    root = template_root(project)
    throwaway_pyproject(root, dependencies=[])
    git("add", "-A", cwd=root)
    git("commit", "-qm", "pyproject", cwd=root)
    git("tag", "v1.0.1", cwd=root)
    code, output = update(project, "--defaults")
    assert code == 0, output
    subprocess.run([find_uv(), "lock"], cwd=project, check=True, capture_output=True)
    git("add", "-A", cwd=project)
    git("commit", "-qm", "update to v1.0.1, locked", cwd=project)

    throwaway_pyproject(root, dependencies=["iniconfig>=2"])
    release(root, "v1.1.0", README_V1)
    code, output = update(project, "--defaults")
    assert code == 0, output
    assert "uv.lock" in output
    locked = subprocess.run(
        [find_uv(), "lock", "--check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert locked.returncode == 0, locked.stderr
    assert 'name = "iniconfig"' in (project / "uv.lock").read_text()


def test_a_version_missing_from_this_machines_store_is_one_clear_error(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A project made from the bundled templates on another machine, whose version this store never saw.
    store = tmp_path / "store"
    monkeypatch.setenv("AISCAFFOLD_STORE", str(store))
    answers = project / ".copier-answers.yml"
    text = answers.read_text()
    source = next(line for line in text.splitlines() if line.startswith("_src_path:"))
    elsewhere = text.replace(source, f"_src_path: {store}").replace("_commit: v1.0.0", "_commit: v0.0.1")
    answers.write_text(elsewhere)
    git("commit", "-qam", "made elsewhere", cwd=project)
    before = snapshot(project)
    code, output = update(project, "--defaults")
    assert code == 1, output
    assert "template store has no v0.0.1" in " ".join(output.split())
    assert "Hint:" in output
    assert snapshot(project) == before


def test_an_update_merges_through_the_projects_own_history(project: Path) -> None:
    # The first commit is the pristine render; the update records the new one on top of it and merges it,
    # so the next update needs neither old template version: the project's history holds its merge base.
    user_edit(project, "Intro.", "Intro by the user.")
    root = template_root(project)
    release(root, "v1.1.0", README_V1 + "\nAdded in 1.1.\n")
    code, output = update(project, "--defaults")
    assert code == 0, output
    assert "git commit" in output  # the merge is completed by committing it
    git("commit", "-q", "--no-edit", cwd=project)
    assert git("rev-list", "--count", "--merges", "HEAD", cwd=project) == "1"
    trailers = git("log", "--format=%(trailers:key=Aiscaffold-Pristine,valueonly)", "--all", cwd=project)
    assert {"api-service v1.0.0", "api-service v1.1.0"} <= {line.strip() for line in trailers.splitlines()}

    git("tag", "-d", "v1.0.0", "v1.1.0", cwd=root)  # copier's own update would need v1.1.0 now
    release(root, "v1.2.0", README_V1 + "\nAdded in 1.1.\n\nAdded in 1.2.\n")
    code, output = update(project, "--defaults")
    assert code == 0, output
    readme = (project / "README.md").read_text()
    assert "Intro by the user." in readme
    assert "Added in 1.1.\n\nAdded in 1.2." in readme


def test_a_history_update_never_touches_files_the_user_owns(project: Path) -> None:
    root = template_root(project)
    (root / "copier.yml").write_text(THROWAWAY_COPIER_YML + "_skip_if_exists: [OWNED.md]\n")
    (root / "templates" / "api-service" / "OWNED.md").write_text("The template's first words.\n")
    release(root, "v1.1.0", README_V1)
    assert update(project, "--defaults")[0] == 0
    git("commit", "-q", "--no-edit", cwd=project)
    (project / "OWNED.md").write_text("The user's own words.\n")
    git("commit", "-qam", "user owns it", cwd=project)

    (root / "templates" / "api-service" / "OWNED.md").write_text("The template's second words.\n")
    release(root, "v1.2.0", README_V1 + "\nMore.\n")
    code, output = update(project, "--defaults")
    assert code == 0, output
    assert (project / "OWNED.md").read_text() == "The user's own words.\n"
    assert "More." in (project / "README.md").read_text()


def test_verify_writes_nothing_when_the_checks_fail(project: Path) -> None:
    # The throwaway template has no pyproject.toml, so the updated copy cannot even be synced.
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n")
    before = snapshot(project)
    code, output = update(project, "--defaults", "--verify")
    assert code == 1, output
    assert "the project was not changed" in output
    assert "uv sync --locked" in output and "FAIL" in output
    assert "the update was not written" in " ".join(output.split())
    assert snapshot(project) == before


def test_json_report(project: Path) -> None:
    release(template_root(project), "v1.1.0", README_V1 + "\nMore.\n", extra_file="NEW.md")
    result = runner.invoke(app, ["update", str(project), "--defaults", "--json"], env={"CI": "true"})
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["old_version"] == "v1.0.0"
    assert report["new_version"] == "v1.1.0"
    assert report["updated"] is True
    assert report["written"] is True
    assert report["added"] == ["NEW.md"]
    assert report["changed"] == [".copier-answers.yml", "README.md"]
    assert report["conflicted"] == []
    assert report["gates"] == []
