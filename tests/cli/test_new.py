"""`aiscaffold new` end to end in-process: successes, and every bad input -> exit code, nothing written."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from support import git, leftovers, outcome, snapshot
from typer.testing import CliRunner

from aiscaffold.catalog import bundled_catalog
from aiscaffold.cli import app

runner = CliRunner()
COMMITTER = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
             "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip


def invoke(*args: str) -> tuple[int, str]:
    return outcome(runner.invoke(app, ["new", *args], env={"CI": "true"}))


def answers_of(project: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return loaded


def test_defaults_generate_a_project_with_an_absolute_source(tmp_path: Path) -> None:
    code, output = invoke(
        "api-service", str(tmp_path / "churn-api"), "--defaults", "--no-install", "--no-git"
    )
    assert code == 0, output
    answers = answers_of(tmp_path / "churn-api")
    assert answers["project_name"] == "churn-api"
    assert answers["package_name"] == "churn_api"
    assert Path(str(answers["_src_path"])).is_absolute()
    assert "Creating api-service project" in output
    assert "Next steps" in output
    assert leftovers(tmp_path) == []


def test_next_steps_quote_a_folder_with_spaces(tmp_path: Path) -> None:
    project = tmp_path / "Churn API"
    code, output = invoke("api-service", str(project), "--defaults", "--no-install", "--no-git")
    assert code == 0, output
    assert f"cd '{project}'" in " ".join(output.split())  # pasted into a shell, it goes to the folder


def test_after_no_install_the_next_steps_lock_install_and_commit_the_lock(tmp_path: Path) -> None:
    project = tmp_path / "churn"
    code, output = invoke("nlp-pipeline", str(project), "--defaults", "--no-install")
    assert code == 0, output
    steps = output.split("Next steps:")[1].splitlines()
    pasted = [line.split("  #")[0].strip() for line in steps[1:4]]  # cd, then what --no-install left
    lock = 'git add uv.lock && git commit -m "chore: lock dependencies (uv lock)"'
    assert pasted[1:] == ["make setup", lock]

    env = {**os.environ, **COMMITTER}
    subprocess.run(["bash", "-c", " && ".join(pasted)], check=True, capture_output=True, env=env)

    assert "uv.lock" in git("ls-files", cwd=project).split()  # the generated CI's `uv sync --locked` has it
    assert git("status", "--porcelain", cwd=project) == ""
    assert (project / ".git" / "hooks" / "pre-commit").is_file()


def test_a_folder_named_like_a_template_package_gets_a_package_that_is_not(tmp_path: Path) -> None:
    # "api" would import as api.api.app: derived from the folder, the package becomes api_app, as json_app.
    code, output = invoke("api-service", str(tmp_path / "api"), "--defaults", "--no-install", "--no-git")

    assert code == 0, output
    assert answers_of(tmp_path / "api")["package_name"] == "api_app"


def test_git_source_at_a_tag_records_the_commit(
    throwaway_template: Callable[..., Path], tmp_path: Path
) -> None:
    root = throwaway_template()
    project = tmp_path / "out"
    code, output = invoke(
        "api-service",
        str(project),
        "--defaults",
        "--no-install",
        "--source",
        str(root),
        "--vcs-ref",
        "v1.0.0",
    )
    assert code == 0, output
    answers = answers_of(project)
    assert answers["_commit"] == "v1.0.0"
    assert answers["_src_path"] == str(root)
    assert (project / "README.md").read_text() == "# out\nhello\n"
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, check=True)
    assert "Initial commit from aiscaffold" in log.stdout


def test_relative_source_is_recorded_absolute(
    throwaway_template: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = throwaway_template()
    monkeypatch.chdir(root.parent)
    code, output = invoke(
        "api-service", "out", "--defaults", "--no-install", "--no-git", "--source", root.name
    )
    assert code == 0, output
    assert answers_of(tmp_path / "out")["_src_path"] == str(root)


def test_data_wins_over_answers_file(throwaway_template: Callable[..., Path], tmp_path: Path) -> None:
    root = throwaway_template()
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text("_src_path: /elsewhere\nproject_name: from-file\ngreeting: hi\n")
    project = tmp_path / "out"
    code, output = invoke(
        "api-service", str(project), "--no-install", "--no-git", "--source", str(root),
        "--answers-file", str(answers_file), "--data", "greeting=hey",
    )  # fmt: skip
    assert code == 0, output
    assert (project / "README.md").read_text() == "# from-file\nhey\n"


def test_force_keeps_user_files_and_lists_overwrites(
    throwaway_template: Callable[..., Path], tmp_path: Path
) -> None:
    root = throwaway_template()
    project = tmp_path / "out"
    project.mkdir()
    (project / "README.md").write_text("mine")
    (project / "notes.txt").write_text("mine")
    code, output = invoke("api-service", str(project), "--defaults", "--no-install", "--no-git",
                          "--source", str(root), "--force")  # fmt: skip
    assert code == 0, output
    assert "Overwriting 1 existing file(s)" in output
    assert "README.md" in output
    assert (project / "notes.txt").read_text() == "mine"
    assert (project / "README.md").read_text() == "# out\nhello\n"


def _user_repository(folder: Path) -> None:
    """A repository of the user's: committed README.md and CHANGELOG.md, then unrelated uncommitted work."""
    folder.mkdir()
    git("init", "-q", "-b", "main", cwd=folder)
    (folder / "README.md").write_text("my readme\n")
    (folder / "CHANGELOG.md").write_text("my changelog\n")
    (folder / "tracked.txt").write_text("v1\n")
    git("add", "-A", cwd=folder)
    git("commit", "-q", "-m", "mine", cwd=folder)
    (folder / "tracked.txt").write_text("v2, not committed\n")
    (folder / "untracked.txt").write_text("new, not added\n")


def test_force_into_a_git_repository_commits_nothing_and_keeps_the_users_work(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    _user_repository(project)
    head = git("rev-parse", "HEAD", cwd=project)

    code, output = invoke("api-service", str(project), "--defaults", "--no-install", "--force")

    assert code == 0, output
    assert git("rev-parse", "HEAD", cwd=project) == head  # no commit, so none of the user's work in one
    assert "was a git repository already" in " ".join(output.split())
    assert (project / "tracked.txt").read_text() == "v2, not committed\n"
    assert (project / "untracked.txt").read_text() == "new, not added\n"
    assert (project / "CHANGELOG.md").read_text() == "my changelog\n"  # owned by the user once it exists
    assert "Keeping your 1 file(s)" in output
    assert (project / "README.md").read_text() != "my readme\n"  # overwritten, and listed as such
    assert "README.md" in git("status", "--porcelain", cwd=project)  # recoverable: git shows the change
    assert (project / "pyproject.toml").is_file()


def test_force_refuses_to_overwrite_uncommitted_changes_and_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    _user_repository(project)
    (project / "README.md").write_text("edited, not committed\n")
    before = snapshot(project)

    code, output = invoke("api-service", str(project), "--defaults", "--no-install", "--force")

    assert code == 2, output
    assert "uncommitted changes: README.md" in " ".join(output.split())
    assert snapshot(project) == before
    assert leftovers(tmp_path) == []


def test_a_destination_inside_another_repository_is_announced_before_the_questions(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    code, output = invoke("api-service", str(tmp_path / "churn"), "--defaults", "--no-install")

    assert code == 0, output
    joined = " ".join(output.split())
    assert f"is inside the git repository {tmp_path.resolve()}" in joined
    assert joined.index("is inside the git repository") < joined.index("Creating api-service project")
    assert not (tmp_path / "churn" / ".git").exists()


def test_template_from_answers_file(throwaway_template: Callable[..., Path], tmp_path: Path) -> None:
    root = throwaway_template()
    answers_file = tmp_path / "answers.yml"
    answers_file.write_text("template: api-service\n")
    code, output = invoke(
        "--answers-file", str(answers_file), str(tmp_path / "out"),
        "--defaults", "--no-install", "--no-git", "--source", str(root),
    )  # fmt: skip
    # With the template in the answers, the single argument is still TEMPLATE: this is a usage error...
    assert code == 2, output
    code, output = invoke(
        "api-service", str(tmp_path / "out"), "--answers-file", str(answers_file),
        "--defaults", "--no-install", "--no-git", "--source", str(root),
    )  # fmt: skip
    assert code == 0, output


def _readonly(folder: Path) -> bool:
    """Make ``folder`` unwritable even for root (immutable attribute); False where that is unsupported."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i", str(folder)], capture_output=True, check=False).returncode == 0


BAD_INPUTS: list[tuple[str, list[str], int, str]] = [
    ("non-empty destination", ["api-service", "{dest}", "--defaults"], 2, "pass --force"),
    ("unknown template", ["web-app", "{dest_new}", "--defaults"], 2, "unknown template 'web-app'"),
    ("traversal in DEST", ["api-service", "../escape", "--defaults"], 2, "climbs out"),
    ("whitespace DEST", ["api-service", "   ", "--defaults"], 2, "no destination folder given"),
    # Root passes os.access there, but nothing can be created: refused up front, not a traceback.
    ("DEST in /proc", ["api-service", "/proc/newproj", "--defaults"], 2, "cannot create folders in /proc"),
    ("DEST in /sys", ["api-service", "/sys/newproj", "--defaults"], 2, "cannot create folders in /sys"),
    (
        "unknown --data key",
        ["api-service", "{dest_new}", "--defaults", "-d", "colour=red"],
        2,
        "unknown answer key",
    ),
    ("--data without =", ["api-service", "{dest_new}", "--defaults", "-d", "colour"], 2, "is not KEY=VALUE"),
    (
        "keyword package",
        ["api-service", "{dest_new}", "--defaults", "-d", "package_name=class"],
        2,
        "keyword",
    ),
    (
        "stdlib package",
        ["api-service", "{dest_new}", "--defaults", "-d", "package_name=json"],
        2,
        "standard-library",
    ),
    (
        "dependency package",
        ["api-service", "{dest_new}", "--defaults", "-d", "package_name=fastapi"],
        2,
        "dependency",
    ),
    (
        "a template's own package as answer",
        ["nlp-pipeline", "{dest_new}", "--defaults", "-d", "package_name=executors"],
        2,
        "package inside the generated project",
    ),
    ("non-ASCII package", ["api-service", "{dest_new}", "--defaults", "-d", "package_name=café"], 2, "ASCII"),
    ("bad slug", ["api-service", "{dest_new}", "--defaults", "-d", "project_slug=Bad_Slug"], 2, "kebab-case"),
    ("path in name", ["api-service", "{dest_new}", "--defaults", "-d", "project_name=../x"], 2, "slashes"),
    (
        "absolute path name",
        ["api-service", "{dest_new}", "--defaults", "-d", "project_name=/etc/x"],
        2,
        "slashes",
    ),
    (
        "empty name",
        ["api-service", "{dest_new}", "--defaults", "-d", "project_name= "],
        2,
        "must not be empty",
    ),
    (
        "bad choice",
        ["api-service", "{dest_new}", "--defaults", "-d", "license=GPL"],
        2,
        "answer 'license': 'GPL' is not in",
    ),
    (
        "another template's key",
        ["api-service", "{dest_new}", "--defaults", "-d", "executor=dask"],
        2,
        "unknown answer key for api-service: executor",
    ),
    (
        "bad bool",
        ["api-service", "{dest_new}", "--defaults", "-d", "include_docker=maybe"],
        2,
        "include_docker",
    ),
    (
        "malformed answers file",
        ["api-service", "{dest_new}", "--answers-file", "{bad_yaml}"],
        2,
        "not valid YAML",
    ),
    (
        "answers file not a map",
        ["api-service", "{dest_new}", "--answers-file", "{list_yaml}"],
        2,
        "not a mapping",
    ),
    ("missing answers file", ["api-service", "{dest_new}", "--answers-file", "{nowhere}"], 2, "cannot read"),
    ("no terminal, no --defaults", ["api-service", "{dest_new}"], 2, "pass --defaults"),
    ("no terminal, no TEMPLATE", [], 2, "no TEMPLATE given"),
    ("no terminal, no DEST", ["api-service"], 2, "no DEST given"),
    (
        "missing source",
        ["api-service", "{dest_new}", "--defaults", "--source", "{nowhere}"],
        1,
        "not a folder",
    ),
    (
        "source without copier.yml",
        ["api-service", "{dest_new}", "--defaults", "--source", "{dest}"],
        1,
        "copier.yml",
    ),
    (
        "bad git ref",
        ["api-service", "{dest_new}", "--defaults", "--vcs-ref", "no-such-ref"],
        1,
        "cannot load",
    ),
]


@pytest.mark.parametrize(("case", "args", "exit_code", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_exits_cleanly_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, args: list[str], exit_code: int, message: str
) -> None:
    workdir = tmp_path / "work"
    dest = workdir / "existing"
    dest.mkdir(parents=True)
    (dest / "keep.txt").write_text("precious")
    (workdir / "bad.yml").write_text("project_name: [unclosed\n")
    (workdir / "list.yml").write_text("- a\n- b\n")
    monkeypatch.chdir(workdir)
    before = snapshot(workdir)
    values = {
        "dest": str(dest), "dest_new": str(workdir / "new-project"), "bad_yaml": str(workdir / "bad.yml"),
        "list_yaml": str(workdir / "list.yml"), "nowhere": str(workdir / "nowhere"),
    }  # fmt: skip
    code, output = invoke(*(arg.format(**values) for arg in args))
    assert code == exit_code, output
    assert message in output
    assert output.count("Error:") == 1
    assert snapshot(workdir) == before
    assert leftovers(workdir) == []


def test_read_only_destination_is_refused_and_untouched(tmp_path: Path) -> None:
    dest = tmp_path / "locked"
    dest.mkdir()
    if not _readonly(dest):
        pytest.skip("chattr +i is not supported on this file system")
    try:
        before = snapshot(tmp_path)
        code, output = invoke("api-service", str(dest), "--defaults", "--no-install")
        assert code == 2, output
        assert "not writable" in output
        assert snapshot(tmp_path) == before
    finally:
        subprocess.run(["chattr", "-i", str(dest)], check=True)


def test_list_and_version() -> None:
    listed = runner.invoke(app, ["list"])
    assert listed.exit_code == 0
    # `list` prints the catalog: each name with its description, in catalog order.
    assert listed.output.splitlines() == [
        f"{template.name:<13} {template.description}" for template in bundled_catalog().values()
    ]
    version = runner.invoke(app, ["--version"])
    assert version.output.startswith("aiscaffold ")


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        ["python", "-m", "aiscaffold", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("aiscaffold ")


def test_verify_needs_the_environment(tmp_path: Path) -> None:
    code, output = invoke("api-service", str(tmp_path / "p"), "--defaults", "--no-install", "--verify")
    assert code == 2
    assert "--verify needs the project's environment" in output
    assert list(tmp_path.iterdir()) == []


def test_a_default_that_fails_its_validator_is_refused(
    throwaway_template: Callable[..., Path], tmp_path: Path
) -> None:
    # project_name defaults to DEST's name, and the throwaway template wants kebab-case: the default is
    # validated like a typed answer (copier does this itself since 9.x; the contract test pins it).
    root = throwaway_template()
    code, output = invoke("api-service", str(tmp_path / "Not_Kebab"), "--defaults", "--no-install",
                          "--no-git", "--source", str(root))  # fmt: skip
    assert code == 2, output
    assert "invalid answer 'project_name': must be kebab-case" in " ".join(output.split())
    assert not (tmp_path / "Not_Kebab").exists()
    assert leftovers(tmp_path) == []
