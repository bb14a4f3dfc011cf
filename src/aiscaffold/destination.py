"""The destination folder: checked before the first question, staged beside itself, filled at the very end.

Nothing here touches the destination until ``place`` runs: copier renders into a staging folder next to it
(same file system, so the final move is a rename), and the staging folder is removed whatever happens.
"""

from __future__ import annotations

import os
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aiscaffold.errors import DestinationNotEmptyError, InvalidDestinationError

# Staging folders of this process, so a forced exit (see cli.main) can still remove them.
_ACTIVE_STAGING: set[Path] = set()

_FORBIDDEN_CHARACTERS = {chr(code) for code in range(32)} | {"\x7f"}


def check_destination(raw: str, *, force: bool) -> Path:
    """Return DEST as an absolute path, or raise if it cannot take a new project.

    Refuses empty or whitespace names, control characters, ``..`` components (path traversal), a file,
    a parent folder that does not exist or cannot be written, and a non-empty folder unless ``force``.
    """
    if not raw.strip():
        raise InvalidDestinationError("the destination is empty", hint="give a folder name, e.g. churn-api")
    if raw != raw.strip() or _FORBIDDEN_CHARACTERS & set(raw):
        raise InvalidDestinationError(
            f"the destination {raw!r} has leading/trailing spaces or control characters",
            hint="use a plain folder name",
        )
    if ".." in Path(raw).parts:
        raise InvalidDestinationError(
            f"the destination {raw!r} climbs out with '..'",
            hint="give the folder without '..' (an absolute path is fine)",
        )
    path = Path(raw).expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise InvalidDestinationError(f"{path} exists and is not a folder", hint="choose another destination")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise DestinationNotEmptyError(
            f"{path} is not empty",
            hint="choose an empty or new folder, or pass --force to add the project's files to it "
            "(aiscaffold never deletes your files, and lists those it overwrites)",
        )
    _check_writable(path)
    return path


def _check_writable(path: Path) -> None:
    parent = path.parent
    if not parent.is_dir():
        raise InvalidDestinationError(
            f"the parent folder {parent} does not exist",
            hint=f"create it first: mkdir -p {shlex.quote(str(parent))}",
        )
    target = path if path.exists() else parent
    if not os.access(target, os.W_OK | os.X_OK):
        raise InvalidDestinationError(f"{target} is not writable", hint="choose a folder you can write to")


@dataclass(frozen=True)
class Staging:
    """A private folder beside the destination; ``project`` has the destination's name."""

    root: Path
    project: Path


@contextmanager
def staging_for(destination: Path) -> Iterator[Staging]:
    """Yield a staging folder beside ``destination`` and remove it on exit, success or not.

    The project folder inside it carries the destination's name, so templates that default a name from
    the folder they render into see the name the user chose.
    """
    root = Path(tempfile.mkdtemp(prefix=f".{destination.name}.aiscaffold-", dir=destination.parent))
    _ACTIVE_STAGING.add(root)
    try:
        yield Staging(root=root, project=root / destination.name)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        _ACTIVE_STAGING.discard(root)


def remove_active_staging() -> None:
    """Remove every staging folder still in use: the last resort of a cancel that could not unwind."""
    for root in list(_ACTIVE_STAGING):
        shutil.rmtree(root, ignore_errors=True)


def rendered_files(project: Path) -> list[Path]:
    """All files under ``project``, relative to it, sorted."""
    return sorted(p.relative_to(project) for p in project.rglob("*") if not p.is_dir())


def conflicting_files(project: Path, destination: Path) -> list[Path]:
    """Rendered files that already exist in ``destination`` (they will be overwritten).

    Raises ``InvalidDestinationError`` when a rendered file or folder meets an existing entry of the other
    kind, because then placing the project would mean deleting something of the user's.
    """
    overwritten = []
    for relative in rendered_files(project):
        target = destination / relative
        for ancestor in reversed(relative.parents[:-1]):
            if (destination / ancestor).exists() and not (destination / ancestor).is_dir():
                raise InvalidDestinationError(
                    f"{destination / ancestor} is a file, but the template writes a folder there",
                    hint="move that file away or choose another destination",
                )
        if target.is_dir():
            raise InvalidDestinationError(
                f"{target} is a folder, but the template writes a file there",
                hint="move that folder away or choose another destination",
            )
        if target.exists():
            overwritten.append(relative)
    return overwritten


def place(project: Path, destination: Path) -> None:
    """Move the rendered project into ``destination``.

    A new destination is a single rename. An existing one receives the rendered entries one by one;
    files the template renders replace the user's copies, everything else of the user's stays untouched.
    """
    if not destination.exists():
        project.rename(destination)
        return
    _merge_into(project, destination)


def _merge_into(source: Path, target: Path) -> None:
    for entry in sorted(source.iterdir()):
        destination_entry = target / entry.name
        if entry.is_dir() and destination_entry.is_dir():
            _merge_into(entry, destination_entry)
        else:
            entry.replace(destination_entry)
