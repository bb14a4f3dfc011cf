"""Every git call aiscaffold makes, in one style (as copier keeps its own in ``_vcs.py``).

``run`` is the one way to run git: its output as text, and a failure as ``GitError`` carrying git's own
one-line reason, never a traceback (git missing included). The helpers below it name the questions the
workflows ask git, so ``update`` or ``drift`` read as "is the project clean?" rather than argument lists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

from aiscaffold.errors import GitError
from aiscaffold.tool_output import failure_reason

# Commits aiscaffold makes on its own (pristine renders, the template store) carry this identity: they stay
# recognisable, and they work on machines without a git identity.
AISCAFFOLD_IDENTITY: Mapping[str, str] = {
    "GIT_AUTHOR_NAME": "aiscaffold",
    "GIT_AUTHOR_EMAIL": "aiscaffold@localhost",
    "GIT_COMMITTER_NAME": "aiscaffold",
    "GIT_COMMITTER_EMAIL": "aiscaffold@localhost",
}
# Global options that take a value: the subcommand named in an error comes after them.
_OPTIONS_WITH_VALUE = frozenset({"-C", "-c", "--work-tree", "--git-dir"})


def run(cwd: Path | None, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None) -> str:
    """``git ARGS`` in ``cwd`` (None: the current folder); its output, stripped.

    ``env`` adds variables to the environment; ``stdin`` is fed to git. Raises ``GitError`` when git fails
    or is not installed.
    """
    completed = _run(cwd, args, env=env, stdin=stdin)
    if completed.returncode != 0:
        raise _error(cwd, args, completed.stderr or completed.stdout)
    return completed.stdout.strip()


def attempt(cwd: Path | None, *args: str) -> str | None:
    """Like ``run``, for a question git answers by failing: None when git fails."""
    try:
        return run(cwd, *args)
    except GitError:
        return None


def available() -> bool:
    """Whether git is installed (on PATH)."""
    return shutil.which("git") is not None


def config_value(key: str) -> str | None:
    """``git config --get KEY``, or None when git or the key is missing."""
    if not available():
        return None
    return attempt(None, "config", "--get", key) or None


def inside_work_tree(folder: Path) -> bool:
    """Whether ``folder`` is inside a git work tree."""
    return attempt(folder, "rev-parse", "--is-inside-work-tree") == "true"


@dataclass(frozen=True)
class EnclosingRepository:
    """The git work tree a folder belongs to.

    Attributes:
        top: Its root.
        is_folder_itself: The folder is that root (its own repository), not a folder inside one.
    """

    top: Path
    is_folder_itself: bool


def top_level(folder: Path) -> Path | None:
    """The root of the git work tree ``folder`` is in, or None outside one (or without git)."""
    top = attempt(folder, "rev-parse", "--show-toplevel")
    return Path(top) if top else None


def enclosing_repository(folder: Path) -> EnclosingRepository | None:
    """The git work tree ``folder`` (or, when it does not exist yet, its parent) belongs to, if any."""
    top = top_level(folder if folder.is_dir() else folder.parent)
    if top is None:
        return None
    return EnclosingRepository(top=top, is_folder_itself=top == folder.resolve())


def uncommitted(folder: Path, paths: Sequence[str]) -> list[str]:
    """Which of ``paths`` (relative to ``folder``, in a work tree) git would call changed: modified, staged
    or untracked. Named as git names them, relative to the work tree's root."""
    if not paths:
        return []
    changed = changes(folder, [f":(literal){path}" for path in paths])
    if changed is None:
        raise _error(folder, ("status",), f"{folder} is not in a git work tree")
    return list(changed)


def changes(folder: Path, pathspecs: Sequence[str] = ()) -> dict[str, str] | None:
    """Each path git sees changed since the last commit (modified, staged or untracked; limited to
    ``pathspecs`` when given), with its two-letter ``XY`` status, named relative to the work tree's root
    exactly as it is (no quoting). None outside a git work tree."""
    if not folder.is_dir():
        return None
    arguments = ("status", "--porcelain", "-z", "--untracked-files=all", "--", *pathspecs)
    completed = _run(folder, arguments)
    if completed.returncode != 0:
        return None
    found: dict[str, str] = {}
    entries = iter(completed.stdout.split("\0"))
    for entry in entries:  # "XY path"
        if len(entry) > 3:
            found[entry[3:]] = entry[:2]
            if {"R", "C"} & set(entry[:2]):
                next(entries, None)  # a rename or copy is followed by its old path, without a status
    return found


def has_staged_changes(project: Path) -> bool:
    """Whether the index differs from HEAD (or holds anything, before the first commit)."""
    return _run(project, ("diff", "--cached", "--quiet")).returncode != 0


def resolve(cwd: Path, revision: str) -> str | None:
    """The object id ``revision`` names (a commit, tag, or ``rev:path`` blob), or None when it names none."""
    return attempt(cwd, "rev-parse", "-q", "--verify", revision)


def read_blob(project: Path, revision: str) -> bytes:
    """The bytes of ``rev:path``; empty when there is no such file."""
    completed = _run(project, ("show", revision), text=False)
    return completed.stdout if completed.returncode == 0 else b""


def merge_file(ours: Path, base: Path, theirs: Path, labels: Sequence[str]) -> bytes:
    """``git merge-file -p`` of three files: ``theirs``'s change since ``base`` applied to ``ours``, with
    conflict markers (labelled ``labels``) where both changed the same lines."""
    label_options = [option for label in labels for option in ("-L", label)]
    # The exit code counts the conflicts; the merged text is the answer either way.
    completed = _run(
        None, ("merge-file", "-p", *label_options, str(ours), str(base), str(theirs)), text=False
    )
    return completed.stdout


def reachable(source: str) -> bool:
    """Whether the repository at ``source`` (a URL or a path) answers ``git ls-remote``."""
    return _run(None, ("ls-remote", "--tags", source)).returncode == 0


def remote_tags(source: str) -> list[str]:
    """The tag names of the repository at ``source``; ``GitError`` when it cannot be reached."""
    listed = run(None, "ls-remote", "--tags", "--refs", source)
    return [line.split("refs/tags/", 1)[1] for line in listed.splitlines() if "refs/tags/" in line]


@overload
def _run(
    cwd: Path | None,
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    text: Literal[True] = True,
) -> subprocess.CompletedProcess[str]: ...
@overload
def _run(
    cwd: Path | None, args: Sequence[str], *, text: Literal[False]
) -> subprocess.CompletedProcess[bytes]: ...
def _run(
    cwd: Path | None,
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    text: bool = True,
) -> subprocess.CompletedProcess[str] | subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env={**os.environ, **env} if env else None,
            input=stdin,
            capture_output=True,
            text=text,
            check=False,
        )
    except OSError as error:
        if cwd is not None and not Path(cwd).is_dir():
            reason = "the folder does not exist"
        elif isinstance(error, FileNotFoundError):
            reason = "git is not installed"
        else:
            reason = error.strerror or type(error).__name__
        raise _error(cwd, args, f"fatal: {reason}") from error


def _error(cwd: Path | None, args: Sequence[str], output: str) -> GitError:
    reason = failure_reason(output) or "git failed"
    command = _subcommand(args)
    where = f" in {cwd}" if cwd is not None else ""
    return GitError(f"git {command} failed{where}: {reason}", command=command, reason=reason)


def _subcommand(args: Sequence[str]) -> str:
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return args[0] if args else "git"
