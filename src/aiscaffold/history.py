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

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from aiscaffold import git
from aiscaffold.errors import GitError

ANSWERS_FILE = ".copier-answers.yml"
PRISTINE_TRAILER = "Aiscaffold-Pristine"
# Pristine commits are made by aiscaffold, not by the user (git.AISCAFFOLD_IDENTITY).
_IDENTITY = git.AISCAFFOLD_IDENTITY
# Answers that say where the template came from on one machine; they may differ between pristine renders
# of the same answers.
_MACHINE_KEYS = frozenset({"_src_path"})


def pristine_message(title: str, template: str, version: str) -> str:
    """A commit message that marks the commit as a pristine render of ``template`` at ``version``."""
    return f"{title}\n\n{PRISTINE_TRAILER}: {template} {version}\n"


def record_pristine(
    project: Path, rendered: Path, files: Iterable[str], *, message: str, parent: str | None
) -> str:
    """Commit ``files`` (paths under ``rendered``) into ``project``'s repository as one pristine commit.

    Nothing in the project's work tree, index or branches changes: the commit is built in a temporary
    index. Returns the commit id; ``GitError`` when git fails.
    """
    with tempfile.TemporaryDirectory(prefix="aiscaffold-index-") as scratch:
        env = {**_IDENTITY, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        listed = "\0".join(files) + "\0"
        git.run(project, "--work-tree", str(rendered), "add", "-f", "--pathspec-from-file=-",
                "--pathspec-file-nul", env=env, stdin=listed)  # fmt: skip
        tree = git.run(project, "write-tree", env=env)
        parents = ["-p", parent] if parent else []
        return git.run(project, "commit-tree", tree, *parents, "-m", message, env=env)


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
    new_base = base
    if pristine_side is not None:
        new_base = git.run(
            project, "commit-tree", pristine_side[0], "-p", base, "-m", pristine, env=_IDENTITY
        )
    tree, applied = user_side if user_side is not None else (git.run(project, "rev-parse", "HEAD^{tree}"), [])
    commit = git.run(project, "commit-tree", tree, "-p", "HEAD", "-p", new_base, "-m", message, env=_IDENTITY)
    git.run(project, "merge", "-q", "--ff-only", commit, env=_IDENTITY)
    return new_base, applied


def _moved_tree(project: Path, commit: str, moved: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """The tree of ``commit`` with each old path that it has (and whose new path it lacks) moved; None
    when nothing moves."""
    present = set(git.run(project, "ls-tree", "-r", "-z", "--name-only", commit).split("\0"))
    applied = [old for old, new in moved.items() if old in present and new not in present]
    if not applied:
        return None
    with tempfile.TemporaryDirectory(prefix="aiscaffold-index-") as scratch:
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git.run(project, "read-tree", commit, env=env)
        for old in applied:
            mode, blob = git.run(project, "ls-files", "-s", "--", old, env=env).split()[:2]
            git.run(project, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{moved[old]}", env=env)
            git.run(project, "update-index", "--force-remove", "--", old, env=env)
        return git.run(project, "write-tree", env=env), applied


def find_pristine(project: Path, answers: Mapping[str, Any]) -> str | None:
    """The newest pristine commit in HEAD's history rendered with ``answers`` (the project's current ones).

    None when the project has no such commit: made with ``--no-git``, before aiscaffold recorded pristine
    renders, or last updated by plain ``copier update``.
    """
    listed = git.attempt(project, "log", "--format=%H", f"--grep=^{PRISTINE_TRAILER}: ", "HEAD")
    for commit in (listed or "").split():
        recorded = git.attempt(project, "show", f"{commit}:{ANSWERS_FILE}")
        if recorded is not None and _same_answers(recorded, answers):
            return commit
    return None


def merge_pristine(project: Path, commit: str, *, message: str) -> None:
    """Merge the pristine commit into the work tree and index without committing (the user reviews it).

    Conflicts are left as git leaves them (markers, unmerged paths); the merge stays in progress until the
    user commits it, which records the pristine render in the project's history. ``GitError`` when git
    could not even start the merge.
    """
    try:
        git.run(
            project, "merge", "--no-ff", "--no-commit", "--no-verify", "-m", message, commit, env=_IDENTITY
        )
    except GitError:
        if git.resolve(project, "MERGE_HEAD") is None:
            raise
        # A merge with conflicts exits non-zero too: it is in progress, which is what we want.


def restore_from_head(project: Path, patterns: Iterable[str]) -> list[str]:
    """Put back HEAD's version of every path matching ``patterns`` that the merge touched and HEAD has.

    For copier's ``_skip_if_exists`` files: the user owns them once they exist, so an update never changes
    them. Returns the paths restored.
    """
    pathspecs = [f":(glob){pattern}" for pattern in patterns]
    if not pathspecs:
        return []
    touched = git.run(project, "diff", "--name-only", "-z", "HEAD", "--", *pathspecs).split("\0")
    in_head = set(git.run(project, "ls-tree", "-r", "-z", "--name-only", "HEAD").split("\0"))
    restored = [path for path in touched if path and path in in_head]
    if restored:
        git.run(project, "checkout", "HEAD", "--", *restored)
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


def recorded_answers(project: Path) -> dict[str, Any]:
    """The project's answers file as a mapping (empty when it is missing or unreadable)."""
    try:
        loaded = yaml.safe_load((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
