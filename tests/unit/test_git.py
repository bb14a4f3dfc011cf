"""The one git module: output as text, failures as one-line GitErrors, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import git as setup_git

from aiscaffold import git
from aiscaffold.errors import FailureError, GitError


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    setup_git("init", "-q", "-b", "main", cwd=tmp_path)
    (tmp_path / "tracked.txt").write_text("one\n")
    setup_git("add", "-A", cwd=tmp_path)
    setup_git("commit", "-qm", "first", cwd=tmp_path)
    return tmp_path


def test_a_failure_carries_the_subcommand_and_git_s_one_line_reason(repository: Path) -> None:
    with pytest.raises(GitError) as raised:
        git.run(repository, "rev-parse", "--verify", "no-such-ref")
    error = raised.value
    assert isinstance(error, FailureError)  # exit 1, one red line
    assert error.command == "rev-parse"
    assert error.reason == "Needed a single revision"
    assert error.message == f"git rev-parse failed in {repository}: Needed a single revision"


def test_the_subcommand_is_named_after_global_options(repository: Path, tmp_path: Path) -> None:
    with pytest.raises(GitError) as raised:
        git.run(repository, "--work-tree", str(tmp_path), "no-such-command")
    assert raised.value.command == "no-such-command"


def test_a_missing_folder_is_a_git_error(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="the folder does not exist"):
        git.run(tmp_path / "nowhere", "status")


def test_a_missing_git_is_a_git_error(repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert not git.available()
    assert git.config_value("user.name") is None
    with pytest.raises(GitError, match="git is not installed"):
        git.run(repository, "status")


def test_changes_keep_each_status_and_path_exactly(repository: Path) -> None:
    # " M path": the leading space is part of the status, so the output must not be stripped.
    (repository / "tracked.txt").write_text("two\n")
    (repository / "new file.txt").write_text("x\n")
    assert git.changes(repository) == {"tracked.txt": " M", "new file.txt": "??"}
    assert git.changes(repository, [":(literal)new file.txt"]) == {"new file.txt": "??"}
    assert git.changes(repository.parent / "nowhere") is None


def test_a_rename_is_one_change_under_its_new_name(repository: Path) -> None:
    git.run(repository, "mv", "tracked.txt", "moved.txt")
    assert git.changes(repository) == {"moved.txt": "R "}
    assert git.uncommitted(repository, ["moved.txt"]) == ["moved.txt"]


def test_enclosing_repository_tells_its_root_from_a_folder_inside(repository: Path) -> None:
    (repository / "sub").mkdir()
    assert git.enclosing_repository(repository) == git.EnclosingRepository(repository.resolve(), True)
    inside = git.enclosing_repository(repository / "sub" / "not-yet")
    assert inside == git.EnclosingRepository(repository.resolve(), False)
    assert git.enclosing_repository(repository.parent) is None


def test_questions_git_answers_by_failing_come_back_as_none(repository: Path) -> None:
    assert git.attempt(repository, "rev-parse", "--verify", "no-such-ref") is None
    assert git.resolve(repository, "HEAD:tracked.txt") is not None
    assert git.resolve(repository, "HEAD:missing.txt") is None
    assert git.read_blob(repository, "HEAD:tracked.txt") == b"one\n"
    assert git.read_blob(repository, "HEAD:missing.txt") == b""


def test_env_adds_to_the_environment(repository: Path) -> None:
    identity = {**git.AISCAFFOLD_IDENTITY, "GIT_AUTHOR_NAME": "Someone Else"}
    tree = git.run(repository, "rev-parse", "HEAD^{tree}")
    commit = git.run(repository, "commit-tree", tree, "-m", "by someone", env=identity)
    assert (
        git.run(repository, "log", "-1", "--format=%an <%ce>", commit)
        == "Someone Else <aiscaffold@localhost>"
    )


def test_merge_file_applies_the_change_and_marks_conflicts(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_text("a\nb\nc\n")
    ours.write_text("a\nb\nc\nmine\n")
    theirs.write_text("A\nb\nc\n")
    assert git.merge_file(ours, base, theirs, ("ours", "base", "theirs")) == b"A\nb\nc\nmine\n"
    theirs.write_text("a\nb\nc\nyours\n")
    assert b"<<<<<<< ours" in git.merge_file(ours, base, theirs, ("ours", "base", "theirs"))


def test_uncommitted_names_modified_staged_untracked_and_renamed_paths_only(repository: Path) -> None:
    for name in ("clean.txt", "edited.txt", "old name.txt"):
        (repository / name).write_text(name)
    setup_git("add", "-A", cwd=repository)
    setup_git("commit", "-q", "-m", "files", cwd=repository)
    (repository / "edited.txt").write_text("changed")
    setup_git("mv", "old name.txt", "new name.txt", cwd=repository)
    (repository / "sub").mkdir()
    (repository / "sub" / "new.txt").write_text("new")
    asked = ["clean.txt", "edited.txt", "new name.txt", "old name.txt", "sub/new.txt", "absent.txt"]

    changed = git.uncommitted(repository, asked)

    assert sorted(changed) == ["edited.txt", "new name.txt", "sub/new.txt"]
    assert git.uncommitted(repository, []) == []
    assert git.top_level(repository / "sub") == repository.resolve()
