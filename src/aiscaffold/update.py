"""The ``update`` workflow: preflight checks, copier's three-way update, and an honest report.

Copier does the merging; this module makes sure it starts from a state it can merge (a clean generated
project whose source is reachable), refreshes the local store for projects made from the bundled
templates, and reports conflicts as a failure rather than a success.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from aiscaffold import console, git
from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import catalog_for, parse_template
from aiscaffold.changelog import CHANGELOG, entries_between
from aiscaffold.destination import rendered_files
from aiscaffold.errors import (
    ConflictsRemainError,
    GitError,
    InvalidAnswerError,
    NotAGeneratedProjectError,
    PostGenerationError,
    RenderError,
    TemplateSourceError,
    UncommittedChangesError,
    VerificationError,
)
from aiscaffold.gates import GateResult, run_gates
from aiscaffold.generator import ConflictStyle, RenderRequest, UpdateRequest, render, update
from aiscaffold.history import (
    find_pristine,
    merge_pristine,
    pristine_message,
    record_moves,
    record_pristine,
    restore_from_head,
)
from aiscaffold.migrations import Migration, due, moves, rename_answers
from aiscaffold.postgen import find_uv, project_environment
from aiscaffold.sources import TemplateSource, bundled_root
from aiscaffold.store import ensure_version, has_tag, is_store, store_path
from aiscaffold.tool_output import failure_reason

ANSWERS_FILE = ".copier-answers.yml"
_CONFLICT_MARKER = "<<<<<<< "


@dataclass(frozen=True)
class UpdateProjectRequest:
    """What ``aiscaffold update`` was asked to do (see ``generator.UpdateRequest`` for the fields).

    ``pretend``: do the update in a scratch copy and report it, writing nothing. ``verify``: do the update
    in a scratch copy, run the project's gates there, and write to the project only when they pass.
    """

    project: Path
    vcs_ref: str | None = None
    answers: AnswerPolicy = field(default_factory=AnswerPolicy)
    pretend: bool = False
    conflict: ConflictStyle = "inline"
    verify: bool = False


@dataclass(frozen=True)
class UpdateProjectResult:
    """What changed: the versions, the files touched and those left with conflicts.

    ``merged``: the update is a git merge in progress (the project's history held its merge base), so
    ``git commit`` completes it and ``git merge --abort`` undoes it. ``gates``: with ``verify``, how the
    project's checks went on the updated copy. ``written``: the project itself was changed.
    """

    old_version: str
    new_version: str | None
    changed: tuple[str, ...]  # every path touched, sorted
    conflicted: tuple[str, ...]
    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    merged: bool = False
    gates: tuple[GateResult, ...] = ()
    written: bool = False
    changelog: str = ""  # the CHANGELOG entries between the two versions (bundled templates only)


@dataclass(frozen=True)
class _Plan:
    """How one update runs: through the project's pristine history (``base``) or through copier."""

    target: UpdateRequest
    old_version: str
    base: str | None  # the pristine commit of the project's version, when its history has one
    source: TemplateSource | None  # where the new version is rendered from (history updates)


def update_project(request: UpdateProjectRequest) -> UpdateProjectResult:
    """Run the whole ``update`` workflow; raise ``ConflictsRemainError`` when conflicts are left."""
    project = request.project.expanduser().absolute()
    answers = read_answers(project)
    template = str(answers.get("template", ""))
    policy = replace(request.answers, data=_with_fixed_template(request.answers.data, template))
    _require_clean_git(project)
    old_version = str(answers.get("_commit", "?"))
    # `--conflict rej` is copier's own style: a git merge can only leave markers.
    base = find_pristine(project, answers) if request.conflict == "inline" else None
    if base is not None:
        source = _history_source(answers, request.vcs_ref)
        vcs_ref = source.vcs_ref
    else:
        source = None
        vcs_ref = request.vcs_ref or _store_ref_for(answers)
    if vcs_ref is not None and vcs_ref == old_version:
        return UpdateProjectResult(old_version, vcs_ref, changed=(), conflicted=())
    _refuse_downgrade(old_version, vcs_ref)
    target = UpdateRequest(project, template, vcs_ref, answers=policy, conflict=request.conflict)
    plan = _Plan(target, old_version, base, source)
    if request.pretend:
        with _scratch_clone(project) as clone:
            outcome = replace(_apply(_moved(plan, clone)), written=False)
    else:
        outcome = _verified(plan) if request.verify else _apply(plan)
    return replace(outcome, changelog=_changelog(answers, old_version, outcome.new_version))


def raise_for_outcome(result: UpdateProjectResult) -> None:
    """An update that failed its checks or left conflicts exits non-zero (after its report is shown)."""
    failed = [gate.name for gate in result.gates if gate.passed is False]
    if failed:
        raise VerificationError(
            f"the update was not written: {len(failed)} check(s) failed on the updated copy: "
            f"{', '.join(failed)}",
            hint="run `aiscaffold update` without --verify to get the changes, then fix them by hand",
        )
    if result.conflicted and result.written:
        raise ConflictsRemainError(
            f"the update left {len(result.conflicted)} conflict(s): {', '.join(result.conflicted)}",
            hint="resolve them (search for '<<<<<<<' or the .rej files), then commit",
        )


def update_report(result: UpdateProjectResult, project: Path) -> dict[str, Any]:
    """The outcome as plain data for ``--json`` (the fleet-update job reads it)."""
    return {
        "project": str(project.expanduser().absolute()),
        "old_version": result.old_version,
        "new_version": result.new_version,
        "updated": bool(result.changed),
        "written": result.written,
        "merged": result.merged,
        "added": list(result.added),
        "changed": [path for path in result.changed if path not in {*result.added, *result.deleted}],
        "deleted": list(result.deleted),
        "conflicted": list(result.conflicted),
        "gates": [_gate_report(gate) for gate in result.gates],
        "changelog": result.changelog,
    }


def _apply(plan: _Plan) -> UpdateProjectResult:
    """Run the update in ``plan.target.project`` (relocking when it changed pyproject.toml); report it."""
    project = plan.target.project
    if plan.base is not None and plan.source is not None:
        new_version = _merge_from_history(plan, plan.base, plan.source)
    else:
        result = update(plan.target)
        console.show_notes(result.notes)
        new_version = result.commit
    changes = _changes(project)
    if "pyproject.toml" in changes and (project / "uv.lock").is_file():
        _relock(project)
        changes = _changes(project)
    paths = tuple(sorted(changes))
    return UpdateProjectResult(
        plan.old_version,
        new_version,
        changed=paths,
        conflicted=tuple(path for path in paths if _conflicted(project, path, changes[path])),
        added=tuple(path for path in paths if changes[path] == "add"),
        deleted=tuple(path for path in paths if changes[path] == "delete"),
        merged=plan.base is not None,
        written=True,
    )


def _merge_from_history(plan: _Plan, base: str, source: TemplateSource) -> str | None:
    """Render the new version with the project's answers, record it as a pristine commit on top of
    ``base`` and merge it into the project (see ``history``). Returns the version rendered."""
    target = plan.target
    # Migrations are aiscaffold's own: they apply to its bundled templates, whose versions are its own.
    migrations = due(target.template, plan.old_version, source.vcs_ref) if source.bundled else []
    recorded = {key: value for key, value in read_answers(target.project).items() if not key.startswith("_")}
    previous = rename_answers(recorded, migrations)
    with tempfile.TemporaryDirectory(prefix="aiscaffold-update-") as scratch:
        rendered = Path(scratch) / target.project.name
        template = parse_template(target.template, catalog_for(source.location))
        request = RenderRequest(template, source, rendered, answers=target.answers, previous=previous)
        result = render(request)
        console.show_notes(result.notes)
        new_version = result.commit or "unversioned"
        if new_version == plan.old_version:
            return new_version  # a source without a newer version: nothing to merge
        _refuse_downgrade(plan.old_version, new_version)
        try:
            base = _apply_moves(plan, base, migrations)
            pristine = record_pristine(
                target.project,
                rendered,
                [path.as_posix() for path in rendered_files(rendered)],
                message=pristine_message(
                    f"chore: render the {target.template} template at {new_version} (aiscaffold)",
                    target.template,
                    new_version,
                ),
                parent=base,
            )
            merge_pristine(
                target.project,
                pristine,
                message=f"chore: update the {target.template} template "
                f"from {plan.old_version} to {new_version}",
            )
            restore_from_head(target.project, result.skip_if_exists)
        except GitError as error:
            raise RenderError(
                f"git could not merge the update: {error.reason}",
                hint="run `git merge --abort` if a merge was started, then try again",
            ) from error
    return new_version


def _apply_moves(plan: _Plan, base: str, migrations: list[Migration]) -> str:
    """Move the files the crossed migrations move, in the project's history (see ``history.record_moves``);
    return the merge base to use from now on."""
    moved = moves(migrations)
    if not moved:
        return base
    what = "; ".join(migration.description for migration in migrations if migration.moved_files)
    template = plan.target.template
    new_base, applied = record_moves(
        plan.target.project,
        base,
        moved,
        pristine=pristine_message(
            f"chore: move files in the pristine render: {what}", template, plan.old_version
        ),
        message=f"chore: apply aiscaffold's migration before the update: {what}",
    )
    if applied:
        console.show_notes([f"moved {old} to {moved[old]} ({what}), committed" for old in applied])
    return new_base


def _verified(plan: _Plan) -> UpdateProjectResult:
    """The update done in a scratch clone and checked by the project's gates; written only if they pass."""
    project = plan.target.project
    with _scratch_clone(project) as clone:
        scratch = _apply(_moved(plan, clone))
        gates = tuple(_gates_of(clone))
        passed = all(gate.passed is not False for gate in gates)
        if not passed or not scratch.changed:
            return replace(scratch, gates=gates, written=False)
        _land(plan, clone, scratch)
    return replace(scratch, gates=gates, written=True)


def _land(plan: _Plan, clone: Path, scratch: UpdateProjectResult) -> None:
    """Bring the verified update from the clone into the project: the same merge (so git records it),
    then every changed file exactly as it was verified (the relocked uv.lock included)."""
    project = plan.target.project
    if scratch.merged:
        head = git.run(clone, "rev-parse", "HEAD")
        if head != git.run(project, "rev-parse", "HEAD"):  # a migration committed file moves first
            git.run(project, "fetch", "-q", "--no-tags", str(clone), head)
            git.run(project, "merge", "-q", "--ff-only", head)
        pristine = git.run(clone, "rev-parse", "MERGE_HEAD")
        git.run(project, "fetch", "-q", "--no-tags", str(clone), pristine)
        message = git.run(clone, "log", "-1", "--format=%B", "MERGE_HEAD")
        try:
            merge_pristine(project, pristine, message=message)
        except GitError as error:
            raise RenderError(f"git could not merge the verified update: {error.reason}") from error
        # The merge may touch what the verified update put back (files the user owns): verified wins.
        for path in set(_changes(project)) - set(scratch.changed):
            git.run(project, "checkout", "HEAD", "--", path)
    for path in scratch.changed:
        source, target = clone / path, project / path
        if path in scratch.deleted:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.aiscaffold-tmp")
        shutil.copy2(source, staged)
        staged.replace(target)  # each file whole: a reader never sees half of it


def _gates_of(project: Path) -> list[GateResult]:
    """The project's gates, after syncing its environment the way its CI does (``uv sync --locked``)."""
    start = time.perf_counter()
    argv = [find_uv(), "sync", "--locked"]
    synced = subprocess.run(
        argv, cwd=project, env=project_environment(), capture_output=True, text=True, check=False
    )
    sync = GateResult(
        "uv sync --locked",
        passed=synced.returncode == 0,
        seconds=time.perf_counter() - start,
        output=(synced.stdout + synced.stderr).strip(),
    )
    if not sync.passed:
        return [sync]
    return [sync, *run_gates(project, read_answers(project), status=console.status)]


@contextmanager
def _scratch_clone(project: Path) -> Iterator[Path]:
    """A throwaway ``git clone`` of the project (its whole history: the merge base lives there)."""
    with tempfile.TemporaryDirectory(prefix="aiscaffold-scratch-") as scratch:
        clone = Path(scratch) / project.name
        try:
            git.run(None, "clone", "-q", "--no-hardlinks", str(project), str(clone))
        except GitError as error:
            raise UncommittedChangesError(
                f"cannot make a scratch copy of {project}: {error.reason}",
                hint="check that the project is a readable git repository",
            ) from error
        yield clone


def _moved(plan: _Plan, project: Path) -> _Plan:
    return replace(plan, target=replace(plan.target, project=project))


def _history_source(answers: Mapping[str, Any], vcs_ref: str | None) -> TemplateSource:
    """Where a history update renders the new version from: this aiscaffold's templates for a project made
    from the bundled ones (on any machine: the recorded store may be another machine's), else the
    recorded source, which must be reachable."""
    source = str(answers["_src_path"])
    if is_store(source):
        from aiscaffold import __version__  # noqa: PLC0415 - the running version, not the project's

        store, tag = ensure_version(bundled_root(), __version__)
        return TemplateSource(location=str(store), vcs_ref=vcs_ref or tag, bundled=True)
    if not _reachable(source):
        raise TemplateSourceError(
            f"the project's template source {source} cannot be reached",
            hint="restore it, or edit _src_path in .copier-answers.yml to a clone of the templates",
        )
    return TemplateSource(location=source, vcs_ref=vcs_ref)


def _gate_report(gate: GateResult) -> dict[str, Any]:
    detail = gate.output.splitlines()[-1] if gate.output else ""
    return {"name": gate.name, "passed": gate.passed, "seconds": round(gate.seconds, 2), "detail": detail}


def _changelog(answers: Mapping[str, Any], old_version: str, new_version: str | None) -> str:
    """What the CHANGELOG says changed between the versions, for projects made from aiscaffold's own
    templates (another source's changelog is not ours to read)."""
    source = str(answers.get("_src_path", ""))
    root = bundled_root()
    if new_version is None or not (is_store(source) or Path(source) == root):
        return ""
    return entries_between(root / CHANGELOG, old_version, new_version)


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
    completed = subprocess.run(
        [find_uv(), "lock"],
        cwd=project,
        env=project_environment(),
        capture_output=True,
        text=True,
        check=False,
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
    changed = git.changes(project)
    if changed is None:
        raise UncommittedChangesError(
            f"{project} is not a git repository",
            hint="updates merge through git: run `git init` and commit first",
        )
    if changed:
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
        return git.reachable(source)
    return Path(source).expanduser().is_dir()


def _changes(project: Path) -> dict[str, str]:
    """Each path git sees changed since the last commit, with what happened to it: add, change or delete."""
    return {path: _kind_of(status) for path, status in (git.changes(project) or {}).items()}


_UNMERGED = frozenset({"DD", "AU", "UD", "UA", "DU", "AA", "UU"})


def _kind_of(status: str) -> str:
    if status in _UNMERGED:
        return "conflict"  # a merge could not settle it: both sides changed it, or one deleted it
    if status in {"??", "A ", "AM"}:
        return "add"
    return "delete" if "D" in status else "change"


def _conflicted(project: Path, path: str, kind: str) -> bool:
    return kind == "conflict" or _has_conflict(project / path)


def _has_conflict(path: Path) -> bool:
    if path.suffix == ".rej":
        return True
    try:
        return any(
            line.startswith(_CONFLICT_MARKER) for line in path.read_text(encoding="utf-8").splitlines()
        )
    except (OSError, UnicodeDecodeError):
        return False
