"""The versioned local store: the bundled templates as a git repository, one commit and tag per version.

An installed aiscaffold carries its templates as plain files, but ``copier update`` needs the template at
both the project's old version and the new one, from git. So the first time an aiscaffold version generates
(or updates) a project, it commits its bundled templates to this store and tags the commit ``v<version>``;
projects record the store as ``_src_path``. Installing a newer aiscaffold adds the next tag on demand.

Tags are keyed by content, not by version alone: between releases, `pip install .` of a changed checkout
keeps the version number, and rendering the store's older ``v<version>`` would silently use old templates.
When the bundled tree differs from every tag of its version, it is committed as the next
``v<version>+<n>`` (a PEP 440 local version, so it sorts after ``v<version>`` and updates go forward).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from aiscaffold import git
from aiscaffold.errors import GitError, TemplateSourceError

STORE_ENV = "AISCAFFOLD_STORE"
_CONTENT = ("copier.yml", "templates")
_LOCK_FILE = ".aiscaffold-lock"  # also marks a folder as a store


def store_path() -> Path:
    """Where the store lives: ``$AISCAFFOLD_STORE``, else the user's aiscaffold data folder."""
    override = os.environ.get(STORE_ENV)
    if override:
        return Path(override).expanduser().absolute()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "aiscaffold" / "template-store"


def is_store(source: str) -> bool:
    """Whether a project's recorded ``_src_path`` is a template store: this machine's, or another machine's
    (a teammate's home folder, a CI runner's), recognised by its marker file or its default location."""
    if "://" in source or source.startswith(("git@", "gh:", "gl:")):
        return False
    path = Path(source).expanduser()
    return (
        path == store_path()
        or (path / _LOCK_FILE).is_file()
        or path.parts[-2:] == ("aiscaffold", "template-store")
    )


def version_tag(version: str) -> str:
    """The tag of an aiscaffold version: ``v`` + the PEP 440 version."""
    return f"v{version}"


def ensure_version(bundled: Path, version: str) -> tuple[Path, str]:
    """Make sure the store holds ``bundled`` under a tag of ``version``; return the store and the tag.

    The tag is ``v<version>``, or ``v<version>+<n>`` for the n-th different content under that version.
    """
    store = store_path()
    try:
        store.mkdir(parents=True, exist_ok=True)
        with _locked(store):
            if not (store / ".git").is_dir():
                _git(store, "init", "-q", "-b", "main")
            tree = _stage(store, bundled)
            tag = _tag_with_tree(store, version, tree)
            if tag is None:
                tag = _next_tag(store, version)
                _git(store, "commit", "-q", "--allow-empty", "--no-verify", "-m", f"aiscaffold {tag}")
                _git(store, "tag", tag)
    except (OSError, GitError) as error:
        raise TemplateSourceError(
            f"cannot prepare the template store at {store}: {error}",
            hint=f"check that the folder is writable, or set {STORE_ENV} to another folder",
        ) from error
    return store, tag


def has_tag(store: Path, tag: str) -> bool:
    """Whether the store has ``tag`` (a version some project may have been made with)."""
    return git.resolve(store, f"refs/tags/{tag}") is not None


def _stage(store: Path, bundled: Path) -> str:
    """Put ``bundled``'s template files in the store's work tree and index; return their git tree id."""
    for name in _CONTENT:
        target = store / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        source = bundled / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))
        else:
            shutil.copy2(source, target)
    _git(store, "add", "-A", "--", *_CONTENT)
    return _git_output(store, "write-tree")


def _tag_with_tree(store: Path, version: str, tree: str) -> str | None:
    """The tag of ``version`` (``v<version>`` or ``v<version>+<n>``) whose content is ``tree``, if any."""
    for tag in _tags_of(store, version):
        if _git_output(store, "rev-parse", f"{tag}^{{tree}}") == tree:
            return tag
    return None


def _next_tag(store: Path, version: str) -> str:
    base = version_tag(version)
    numbers = [_content_number(tag, base) for tag in _tags_of(store, version)]
    if not numbers:
        return base
    return f"{base}{_separator(base)}{1 + max(numbers)}"


def _tags_of(store: Path, version: str) -> list[str]:
    base = version_tag(version)
    listed = _git_output(store, "tag", "--list", base, f"{base}{_separator(base)}*").split()
    return [tag for tag in listed if tag == base or tag.removeprefix(base + _separator(base)).isdigit()]


def _separator(base: str) -> str:
    # A local version label starts with "+"; a version that has one already continues it with ".".
    return "." if "+" in base else "+"


def _content_number(tag: str, base: str) -> int:
    return 0 if tag == base else int(tag.removeprefix(base + _separator(base)))


def _git(store: Path, *args: str) -> None:
    _git_output(store, *args)


def _git_output(store: Path, *args: str) -> str:
    return git.run(store, *args, env=git.AISCAFFOLD_IDENTITY)


@contextmanager
def _locked(store: Path) -> Iterator[None]:
    # Two aiscaffold processes may prepare the same version at once (parallel CI jobs, say).
    with (store / _LOCK_FILE).open("w") as handle:
        _lock(handle)
        try:
            yield
        finally:
            _unlock(handle)


# The lock module is chosen when a lock is taken, not imported at the top: `fcntl` exists on POSIX only,
# and every command imports this module (through `sources`), so a top-level import broke them on Windows.
if sys.platform == "win32":

    def _lock(handle: IO[str]) -> None:
        import msvcrt  # noqa: PLC0415

        while True:  # LK_NBLCK fails at once when another process holds the lock; wait for it
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                time.sleep(0.1)

    def _unlock(handle: IO[str]) -> None:
        import msvcrt  # noqa: PLC0415

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:

    def _lock(handle: IO[str]) -> None:
        import fcntl  # noqa: PLC0415

        fcntl.flock(handle, fcntl.LOCK_EX)

    def _unlock(handle: IO[str]) -> None:
        import fcntl  # noqa: PLC0415

        fcntl.flock(handle, fcntl.LOCK_UN)
