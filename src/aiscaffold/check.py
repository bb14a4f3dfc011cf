"""The ``check`` workflow: for each generated project, its template version and the newest one available.

So CI and scripts can gate on "an update is pending" without running one. The newest version of a project
made from the bundled templates is this aiscaffold's (added to the local store if needed); of a git
source, its highest version tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from aiscaffold import git
from aiscaffold.errors import GitError, TemplateSourceError, UserError
from aiscaffold.sources import bundled_root
from aiscaffold.store import ensure_version, is_store
from aiscaffold.update import read_answers


@dataclass(frozen=True)
class ProjectStatus:
    """One project's template version, the newest available, and whether an update would bring it."""

    path: str
    template: str | None
    version: str | None
    newest: str | None
    pending: bool
    error: str | None = None


def check_projects(paths: Iterable[Path]) -> list[ProjectStatus]:
    """The status of each project; a project that cannot be checked gets its error, the others go on."""
    return [_check(path.expanduser().absolute()) for path in paths]


def _check(project: Path) -> ProjectStatus:
    try:
        answers = read_answers(project)
        version = str(answers.get("_commit", "")) or None
        newest = _newest_version(str(answers["_src_path"]))
    except UserError as error:
        return ProjectStatus(str(project), None, None, None, pending=False, error=error.message)
    pending = newest is not None and version != newest and _later(newest, version)
    return ProjectStatus(str(project), str(answers.get("template", "")), version, newest, pending)


def _newest_version(source: str) -> str | None:
    if is_store(source):
        from aiscaffold import __version__  # noqa: PLC0415 - the running version, not the project's

        return ensure_version(bundled_root(), __version__)[1]
    tags = _tags(source)
    versions = {tag: parsed for tag in tags if (parsed := _parse(tag)) is not None}
    return max(versions, key=versions.__getitem__) if versions else None


def _tags(source: str) -> list[str]:
    try:
        return git.remote_tags(source)
    except GitError as error:
        raise TemplateSourceError(f"the template source {source} cannot be reached") from error


def _later(newest: str, current: str | None) -> bool:
    new, old = _parse(newest), _parse(current or "")
    return old is None or (new is not None and new > old)


def _parse(tag: str) -> Version | None:
    try:
        return Version(tag)
    except InvalidVersion:
        return None
