"""The project's template history: each pristine render recorded as a commit, so any machine can update.

A three-way update needs the template's output at the project's version (the merge base). Copier gets it
by rendering that version again, which needs the old templates: another machine, with a newer aiscaffold
and an empty store, has none. So the project carries it itself. ``aiscaffold new`` makes its first commit
from the rendered files alone (the pristine render, marked by a trailer); an update renders the new
version into a scratch folder, records that as a pristine commit whose parent is the old one, and merges
it with ``git merge``. Git finds the old pristine render as the merge base because it is an ancestor of
both sides, and once the merge is committed the new pristine render is in the project's history for the
next update: a clone carries everything (see docs/decisions.md).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

ANSWERS_FILE = ".copier-answers.yml"
PRISTINE_TRAILER = "Aiscaffold-Pristine"
# Pristine commits are made by aiscaffold, not by the user: a fixed identity keeps them recognisable and
# works on machines without a git identity.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "aiscaffold",
    "GIT_AUTHOR_EMAIL": "aiscaffold@localhost",
    "GIT_COMMITTER_NAME": "aiscaffold",
    "GIT_COMMITTER_EMAIL": "aiscaffold@localhost",
}
# Answers that say where the template came from on one machine; they may differ between pristine renders
# of the same answers.
_MACHINE_KEYS = frozenset({"_src_path"})


class HistoryError(Exception):
    """A git command on the project failed; ``reason`` is git's own one-line explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pristine_message(title: str, template: str, version: str) -> str:
    """A commit message that marks the commit as a pristine render of ``template`` at ``version``."""
    return f"{title}\n\n{PRISTINE_TRAILER}: {template} {version}\n"


def record_pristine(
    project: Path, rendered: Path, files: Iterable[str], *, message: str, parent: str | None
) -> str:
    """Commit ``files`` (paths under ``rendered``) into ``project``'s repository as one pristine commit.

    Nothing in the project's work tree, index or branches changes: the commit is built in a temporary
    index. Returns the commit id.
    """
    with tempfile.TemporaryDirectory(prefix="aiscaffold-index-") as scratch:
        env = {**os.environ, **_IDENTITY, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        listed = "\0".join(files) + "\0"
        _git(project, "--work-tree", str(rendered), "add", "-f", "--pathspec-from-file=-",
             "--pathspec-file-nul", env=env, stdin=listed)  # fmt: skip
        tree = _git(project, "write-tree", env=env)
        parents = ["-p", parent] if parent else []
        return _git(project, "commit-tree", tree, *parents, "-m", message, env=env)


def record_moves(
    project: Path, base: str, moved: Mapping[str, str], *, pristine: str, message: str
) -> tuple[str, list[str]]:
    """Move files (old path to new) on both sides of the coming merge, so git merges each moved file's
    content at its new path: a pristine commit on top of ``base`` with the moves, and a commit on top of
    HEAD (fast-forwarded, in the work tree) that moves the user's files and merges that pristine commit.

    ``pristine`` is the message of the pristine commit (``pristine_message``), ``message`` that of the
    user's. Returns the pristine commit to use as the new merge base, and the paths the user's side moved.
    """
    pristine_side = _moved_tree(project, base, moved)
    user_side = _moved_tree(project, "HEAD", moved)
    if pristine_side is None and user_side is None:
        return base, []
    env = {**os.environ, **_IDENTITY}
    new_base = base
    if pristine_side is not None:
        new_base = _git(project, "commit-tree", pristine_side[0], "-p", base, "-m", pristine, env=env)
    tree, applied = user_side if user_side is not None else (_git(project, "rev-parse", "HEAD^{tree}"), [])
    commit = _git(project, "commit-tree", tree, "-p", "HEAD", "-p", new_base, "-m", message, env=env)
    _git(project, "merge", "-q", "--ff-only", commit, env=env)
    return new_base, applied


def _moved_tree(project: Path, commit: str, moved: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """The tree of ``commit`` with each old path that it has (and whose new path it lacks) moved; None
    when nothing moves."""
    present = set(_git(project, "ls-tree", "-r", "-z", "--name-only", commit).split("\0"))
    applied = [old for old, new in moved.items() if old in present and new not in present]
    if not applied:
        return None
    with tempfile.TemporaryDirectory(prefix="aiscaffold-index-") as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _git(project, "read-tree", commit, env=env)
        for old in applied:
            mode, blob = _git(project, "ls-files", "-s", "--", old, env=env).split()[:2]
            _git(project, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{moved[old]}", env=env)
            _git(project, "update-index", "--force-remove", "--", old, env=env)
        return _git(project, "write-tree", env=env), applied


def find_pristine(project: Path, answers: Mapping[str, Any]) -> str | None:
    """The newest pristine commit in HEAD's history rendered with ``answers`` (the project's current ones).

    None when the project has no such commit: made with ``--no-git``, before aiscaffold recorded pristine
    renders, or last updated by plain ``copier update``.
    """
    listed = _try_git(project, "log", "--format=%H", f"--grep=^{PRISTINE_TRAILER}: ", "HEAD")
    for commit in (listed or "").split():
        recorded = _try_git(project, "show", f"{commit}:{ANSWERS_FILE}")
        if recorded is not None and _same_answers(recorded, answers):
            return commit
    return None


def merge_pristine(project: Path, commit: str, *, message: str) -> None:
    """Merge the pristine commit into the work tree and index without committing (the user reviews it).

    Conflicts are left as git leaves them (markers, unmerged paths); the merge stays in progress until the
    user commits it, which records the pristine render in the project's history.
    """
    completed = subprocess.run(
        ["git", "merge", "--no-ff", "--no-commit", "--no-verify", "-m", message, commit],
        cwd=project,
        env={**os.environ, **_IDENTITY},
        capture_output=True,
        text=True,
        check=False,
    )
    merging = _try_git(project, "rev-parse", "-q", "--verify", "MERGE_HEAD") is not None
    if completed.returncode != 0 and not merging:
        raise HistoryError(_reason(completed.stderr or completed.stdout))


def restore_from_head(project: Path, patterns: Iterable[str]) -> list[str]:
    """Put back HEAD's version of every path matching ``patterns`` that the merge touched and HEAD has.

    For copier's ``_skip_if_exists`` files: the user owns them once they exist, so an update never changes
    them. Returns the paths restored.
    """
    pathspecs = [f":(glob){pattern}" for pattern in patterns]
    if not pathspecs:
        return []
    touched = _git(project, "diff", "--name-only", "-z", "HEAD", "--", *pathspecs).split("\0")
    in_head = set(_git(project, "ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0"))
    restored = [path for path in touched if path and path in in_head]
    if restored:
        _git(project, "checkout", "HEAD", "--", *restored)
    return restored


def _same_answers(recorded_text: str, answers: Mapping[str, Any]) -> bool:
    try:
        recorded = yaml.safe_load(recorded_text)
    except yaml.YAMLError:
        return False
    if not isinstance(recorded, dict):
        return False
    return _comparable(recorded) == _comparable(answers)


def _comparable(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answers.items() if key not in _MACHINE_KEYS}


def _git(project: Path, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None) -> str:
    completed = subprocess.run(
        ["git", *args],
        cwd=project,
        env=dict(env) if env is not None else None,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise HistoryError(_reason(completed.stderr or completed.stdout))
    return completed.stdout.strip()


def _try_git(project: Path, *args: str) -> str | None:
    try:
        return _git(project, *args)
    except HistoryError:
        return None


def _reason(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.lower().startswith(("fatal:", "error:")):
            return line.split(":", 1)[1].strip()
    return lines[-1] if lines else "git failed"


def recorded_answers(project: Path) -> dict[str, Any]:
    """The project's answers file as a mapping (empty when it is missing or unreadable)."""
    try:
        loaded = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
