"""The ``drift`` workflow: template-owned files that silently diverged from the template, and healing them.

A three-way update only replays the template's changes; a change that was lost once (a conflict resolved
by keeping the old text, a ``.rej`` file deleted unread) never arrives later. With the project's pristine
renders in its history (see ``history``), a file has drifted when either

- it differs from the pristine render of the project's version and no commit of the user's own ever
  changed it (commits made by aiscaffold, update merges and update commits do not count), or
- a template change recorded in the history never reached it: merging the change from an earlier
  pristine render to the current one into the file would still change it.

Files the user owns once they exist (copier's ``_skip_if_exists``) are never reported. Healing applies
the missing change with ``git merge-file`` (keeping the user's own edits) and leaves the diff for review.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aiscaffold import git
from aiscaffold.errors import InvalidAnswerError, NotAGeneratedProjectError, UncommittedChangesError
from aiscaffold.history import ANSWERS_FILE, PRISTINE_TRAILER, find_pristine
from aiscaffold.sources import owned_by_user, skip_if_exists_patterns
from aiscaffold.update import read_answers


@dataclass(frozen=True)
class Drift:
    """One drifted file: its path, why it counts as drifted, and the pristine commit its fix comes from."""

    path: str
    reason: str
    base: str  # the blob ``git merge-file`` uses as the common ancestor when healing
    pristine: str  # the pristine render at the project's version


def find_drift(project: Path) -> list[Drift]:
    """Every template-owned file of ``project`` that has drifted, sorted by path."""
    project = project.expanduser().absolute()
    answers = read_answers(project)
    current = find_pristine(project, answers)
    if current is None:
        raise NotAGeneratedProjectError(
            f"{project}'s history has no pristine render of its template version, so drift cannot be told "
            "from your own edits",
            hint="projects record it from `aiscaffold new` on, and after each `aiscaffold update`; "
            "update once (and commit) to start",
        )
    owned = _template_owned(project, current)
    chain = _pristine_chain(project, current)
    found = []
    for path in owned:
        drift = _drift_of(project, path, current, chain)
        if drift is not None:
            found.append(drift)
    return found


def heal(project: Path, paths: Sequence[str]) -> list[str]:
    """Bring the template's missing changes into ``paths`` (drifted files) in the work tree; return them.

    The result is left uncommitted for review; conflicting hunks get markers.
    """
    project = project.expanduser().absolute()
    drifted = {drift.path: drift for drift in find_drift(project)}
    unknown = [path for path in paths if path not in drifted]
    if unknown:
        raise InvalidAnswerError(
            f"not a drifted file: {', '.join(unknown)}",
            hint="run `aiscaffold drift` to list the files that drifted",
        )
    dirty = [path for path in paths if git.run(project, "status", "--porcelain", "--", path)]
    if dirty:
        raise UncommittedChangesError(
            f"{', '.join(dirty)} has uncommitted changes", hint="commit or stash them first, then heal"
        )
    for path in paths:
        drift = drifted[path]
        healed = _merged(project, f"HEAD:{path}", drift.base, f"{drift.pristine}:{path}")
        (project / path).write_bytes(healed)
    return list(paths)


def _drift_of(project: Path, path: str, current: str, chain: Sequence[str]) -> Drift | None:
    ours = git.resolve(project, f"HEAD:{path}")
    theirs = git.resolve(project, f"{current}:{path}")
    if ours is None or ours == theirs:
        return None  # deleted by the user (their choice), or exactly the template's
    if not _changed_by_the_user(project, path):
        reason = "differs from the template, and no commit of yours changed it"
        return Drift(path, reason, f"HEAD:{path}", current)
    for earlier in chain:
        base = f"{earlier}:{path}"
        if git.resolve(project, base) in {None, theirs}:
            continue  # the template did not change this file since then
        if _merged(project, f"HEAD:{path}", base, f"{current}:{path}") != git.read_blob(
            project, f"HEAD:{path}"
        ):
            version = _version_of(project, earlier)
            return Drift(path, f"a template change made after {version} never reached it", base, current)
    return None


def _template_owned(project: Path, pristine: str) -> list[str]:
    listed = git.run(project, "ls-tree", "-r", "-z", "--name-only", pristine).split("\0")
    patterns = skip_if_exists_patterns()
    return sorted(
        path for path in listed if path and path != ANSWERS_FILE and not owned_by_user(path, patterns)
    )


def _pristine_chain(project: Path, current: str) -> list[str]:
    """The pristine renders before ``current``, newest first (each pristine commit's parent is the last)."""
    listed = git.run(project, "rev-list", "--first-parent", current).split()
    return [commit for commit in listed[1:] if _is_pristine(project, commit)]


def _changed_by_the_user(project: Path, path: str) -> bool:
    """Whether a commit of the user's own (not a pristine render, an update merge or an update commit)
    changed ``path``."""
    listed = git.run(project, "log", "--full-history", "--no-merges", "--format=%H", "HEAD", "--", path)
    return any(
        not _is_pristine(project, commit) and not _is_update(project, commit) for commit in listed.split()
    )


def _is_pristine(project: Path, commit: str) -> bool:
    message = git.run(project, "log", "-1", "--format=%B", commit)
    return any(line.startswith(f"{PRISTINE_TRAILER}: ") for line in message.splitlines())


def _is_update(project: Path, commit: str) -> bool:
    # A commit that moved the template version (copier's update, committed by the user) is the update's.
    diff = git.run(project, "show", "--format=", "--unified=0", commit, "--", ANSWERS_FILE)
    return any(line.startswith("+_commit:") for line in diff.splitlines())


def _version_of(project: Path, pristine: str) -> str:
    message = git.run(project, "log", "-1", "--format=%B", pristine)
    for line in message.splitlines():
        if line.startswith(f"{PRISTINE_TRAILER}: "):
            return line.split()[-1]
    return pristine[:12]


def _merged(project: Path, ours: str, base: str, theirs: str) -> bytes:
    """``git merge-file -p`` of three blobs (``rev:path``); conflicts come back with markers."""
    with tempfile.TemporaryDirectory(prefix="aiscaffold-drift-") as scratch:
        files = []
        for name, blob in (("ours", ours), ("base", base), ("theirs", theirs)):
            file = Path(scratch) / name
            file.write_bytes(git.read_blob(project, blob))
            files.append(file)
        ours_file, base_file, theirs_file = files
        return git.merge_file(ours_file, base_file, theirs_file, ("yours", "template before", "template now"))


def describe(findings: Iterable[Drift]) -> list[dict[str, str]]:
    """The findings as plain data for ``--json``."""
    return [{"path": drift.path, "reason": drift.reason} for drift in findings]
