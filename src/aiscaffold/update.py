"""The ``update`` workflow: preflight checks, copier's three-way update, and an honest report.

Copier does the merging; this module makes sure it starts from a state it can merge (a clean generated
project whose source is reachable), refreshes the local store for projects made from the bundled
templates, and reports conflicts as a failure rather than a success.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from aiscaffold import console
from aiscaffold.errors import (
    ConflictsRemainError,
    InvalidAnswerError,
    NotAGeneratedProjectError,
    PostGenerationError,
    TemplateSourceError,
    UncommittedChangesError,
)
from aiscaffold.generator import ConflictStyle, UpdateRequest, update
from aiscaffold.postgen import failure_reason, find_uv
from aiscaffold.sources import bundled_root
from aiscaffold.store import ensure_version, has_tag, store_path

ANSWERS_FILE = ".copier-answers.yml"
_CONFLICT_MARKER = "<<<<<<< "


@dataclass(frozen=True)
class UpdateProjectRequest:
    """What ``aiscaffold update`` was asked to do (see ``generator.UpdateRequest`` for the fields)."""

    project: Path
    vcs_ref: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    accept_defaults: bool = False
    interactive: bool = True
    pretend: bool = False
    conflict: ConflictStyle = "inline"


@dataclass(frozen=True)
class UpdateProjectResult:
    """What changed: the versions, the files touched and those left with conflicts."""

    old_version: str
    new_version: str | None
    changed: tuple[str, ...]  # every path touched, sorted
    conflicted: tuple[str, ...]
    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()


def update_project(request: UpdateProjectRequest) -> UpdateProjectResult:
    """Run the whole ``update`` workflow; raise ``ConflictsRemainError`` when conflicts are left."""
    project = request.project.expanduser().absolute()
    answers = read_answers(project)
    template = str(answers.get("template", ""))
    data = _with_fixed_template(request.data, template)
    _require_clean_git(project)
    vcs_ref = request.vcs_ref or _store_ref_for(answers)
    old_version = str(answers.get("_commit", "?"))
    if vcs_ref is not None and vcs_ref == old_version:
        return UpdateProjectResult(old_version, vcs_ref, changed=(), conflicted=())
    _refuse_downgrade(old_version, vcs_ref)
    target = UpdateRequest(
        project=project,
        vcs_ref=vcs_ref,
        template=template,
        data=data,
        accept_defaults=request.accept_defaults,
        interactive=request.interactive,
        conflict=request.conflict,
    )
    if request.pretend:
        return _pretend(target, old_version)
    outcome = _apply(target, old_version)
    if outcome.conflicted:
        raise ConflictsRemainError(
            f"the update left {len(outcome.conflicted)} conflict(s): {', '.join(outcome.conflicted)}",
            hint="resolve them (search for '<<<<<<<' or the .rej files), then commit",
        )
    return outcome


def _apply(target: UpdateRequest, old_version: str) -> UpdateProjectResult:
    """Run copier's update in ``target.project`` (relocking when it changed pyproject.toml); report it."""
    result = update(target)
    console.show_notes(result.notes)
    project = target.project
    changes = _changes(project)
    if "pyproject.toml" in changes and (project / "uv.lock").is_file():
        _relock(project)
        changes = _changes(project)
    paths = tuple(sorted(changes))
    return UpdateProjectResult(
        old_version,
        result.commit,
        changed=paths,
        conflicted=tuple(path for path in paths if _has_conflict(project / path)),
        added=tuple(path for path in paths if changes[path] == "add"),
        deleted=tuple(path for path in paths if changes[path] == "delete"),
    )


def _pretend(target: UpdateRequest, old_version: str) -> UpdateProjectResult:
    """The update, done for real in a throwaway clone of the project: what it would add, change, delete and
    leave in conflict, exactly (copier's own pretend mode writes nothing and so cannot tell)."""
    with tempfile.TemporaryDirectory(prefix="aiscaffold-pretend-") as scratch:
        clone = Path(scratch) / target.project.name
        cloned = subprocess.run(
            ["git", "clone", "-q", "--no-hardlinks", str(target.project), str(clone)],
            capture_output=True,
            text=True,
            check=False,
        )
        if cloned.returncode != 0:
            raise UncommittedChangesError(
                f"cannot make a scratch copy of {target.project}: {failure_reason(cloned.stderr)}",
                hint="check that the project is a readable git repository",
            )
        return _apply(replace(target, project=clone), old_version)


def _with_fixed_template(data: Mapping[str, Any], template: str) -> dict[str, Any]:
    """The answers to apply, with the project's template kind: an update never turns it into another kind."""
    asked = data.get("template")
    if asked is not None and str(asked) != template:
        raise InvalidAnswerError(
            f"the template kind is fixed: this project is a {template}, not a {asked}",
            hint=f"to start a {asked} project, run `aiscaffold new {asked} DEST`",
        )
    return {**data, "template": template}


def _refuse_downgrade(old_version: str, new_version: str | None) -> None:
    """Copier refuses to go back too, but only after cloning, and with no word on what to do instead."""
    if new_version is None:
        return
    old, new = _parse_version(old_version), _parse_version(new_version)
    if old is not None and new is not None and new < old:
        raise InvalidAnswerError(
            f"{new_version} is older than the project's template version {old_version}: "
            "updates only go forward",
            hint="to undo an update, revert its commit (`git log -- .copier-answers.yml` finds it)",
        )


def _parse_version(ref: str) -> Version | None:
    try:
        return Version(ref)
    except InvalidVersion:
        return None  # a branch or commit: nothing to compare


def _relock(project: Path) -> None:
    """The update changed pyproject.toml: bring uv.lock in line, or `uv sync --locked` (CI) fails."""
    environment = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT"}}
    completed = subprocess.run(
        [find_uv(), "lock"], cwd=project, env=environment, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        reason = failure_reason(completed.stderr or completed.stdout) or f"exit code {completed.returncode}"
        raise PostGenerationError(
            f"the update changed pyproject.toml and `uv lock` failed: {reason}",
            hint="fix pyproject.toml (the update's changes are in place), run `uv lock`, then commit",
        )


def read_answers(project: Path) -> dict[str, Any]:
    """The project's ``.copier-answers.yml``; ``NotAGeneratedProjectError`` when it is missing or unusable."""
    path = project / ANSWERS_FILE
    if not path.is_file():
        raise NotAGeneratedProjectError(
            f"{project} has no {ANSWERS_FILE}, so it is not a project aiscaffold can update",
            hint=f"run it in a generated project (if {ANSWERS_FILE} was renamed or deleted, restore it)",
        )
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise NotAGeneratedProjectError(
            f"{path} cannot be read: {' '.join(str(error).split())}", hint="restore it from git"
        ) from error
    if not isinstance(loaded, dict) or "_src_path" not in loaded:
        raise NotAGeneratedProjectError(
            f"{path} does not say where the project came from (_src_path)", hint="restore it from git"
        )
    return loaded


def _require_clean_git(project: Path) -> None:
    status = _git_status(project)
    if status is None:
        raise UncommittedChangesError(
            f"{project} is not a git repository",
            hint="updates merge through git: run `git init` and commit first",
        )
    if status:
        raise UncommittedChangesError(
            f"{project} has uncommitted changes",
            hint="commit or stash them first, so the update can be reviewed",
        )


def _store_ref_for(answers: Mapping[str, Any]) -> str | None:
    """For projects made from the bundled templates, add this aiscaffold's version to the store first."""
    source = str(answers["_src_path"])
    if Path(source) != store_path():
        if not _reachable(source):
            raise TemplateSourceError(
                f"the project's template source {source} cannot be reached",
                hint="restore it, or edit _src_path in .copier-answers.yml to a clone of the templates",
            )
        return None
    from aiscaffold import __version__  # noqa: PLC0415 - the running version, not the project's

    store, tag = ensure_version(bundled_root(), __version__)
    made_with = str(answers.get("_commit", ""))
    if made_with and made_with != tag and not has_tag(store, made_with):
        # Copier needs the old version for its three-way merge; without it, it fails deep in git.
        raise TemplateSourceError(
            f"this machine's template store has no {made_with}, the version this project was made with",
            hint="run the update on the machine that generated the project, or install that aiscaffold "
            "version once (it adds its templates to the store), then the current one again",
        )
    return tag


def _reachable(source: str) -> bool:
    if "://" in source or source.startswith(("git@", "gh:", "gl:")):
        completed = subprocess.run(["git", "ls-remote", "--tags", source], capture_output=True, check=False)
        return completed.returncode == 0
    return Path(source).expanduser().is_dir()


def _git_status(project: Path) -> str | None:
    """`git status` as NUL-separated `XY path` entries (paths exactly as they are: no quoting, no
    trimming), or None outside a git work tree."""
    argv = ["git", "status", "--porcelain", "-z", "--untracked-files=all"]
    completed = subprocess.run(argv, cwd=project, capture_output=True, text=True, check=False)
    return completed.stdout if completed.returncode == 0 else None


def _changes(project: Path) -> dict[str, str]:
    """Each path git sees changed since the last commit, with what happened to it: add, change or delete."""
    entries = iter((_git_status(project) or "").split("\0"))
    changes: dict[str, str] = {}
    for entry in entries:
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            next(entries, None)  # a rename's or copy's second entry: the path it came from
        kind = "add" if status in {"??", "A ", "AM"} else "delete" if "D" in status else "change"
        changes[path] = kind
    return changes


def _has_conflict(path: Path) -> bool:
    if path.suffix == ".rej":
        return True
    try:
        return any(
            line.startswith(_CONFLICT_MARKER) for line in path.read_text(encoding="utf-8").splitlines()
        )
    except (OSError, UnicodeDecodeError):
        return False
