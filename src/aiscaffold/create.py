"""The ``new`` workflow, start to finish: destination, questions, staged render, placement, post-steps.

The destination is untouched until the rendered project is complete; an error or Ctrl-C before that leaves
it exactly as it was (the staging folder beside it is always removed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aiscaffold import console, git
from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import Template, catalog_for, parse_template
from aiscaffold.destination import check_destination, conflicting_files, place, rendered_files, staging_for
from aiscaffold.errors import (
    InvalidAnswerError,
    MissingAnswersError,
    UncommittedChangesError,
    UsageError,
    VerificationError,
)
from aiscaffold.generator import RenderRequest, render
from aiscaffold.identity import author_defaults
from aiscaffold.postgen import GIT_STEP, PostGenOptions, run_post_generation
from aiscaffold.sources import TemplateSource, owned_by_user


@dataclass(frozen=True)
class NewProjectRequest:
    """What ``aiscaffold new`` was asked to do.

    Attributes:
        template: The template's name, or None to ask (or take it from the answers).
        destination: DEST as typed, or None to ask.
        source: Where the templates come from.
        answers: Where the answers come from: ``--answers-file`` overlaid with ``--data``, ``--defaults``,
            and whether there is a terminal to ask on (which also asks for TEMPLATE and DEST).
        force: ``--force``: a non-empty DEST is allowed; only rendered files are overwritten.
        postgen: Which steps run after rendering.
        verify: Run the project's own checks afterwards (``--verify``).
    """

    template: str | None
    destination: str | None
    source: TemplateSource
    answers: AnswerPolicy = field(default_factory=AnswerPolicy)
    force: bool = False
    postgen: PostGenOptions = field(default_factory=PostGenOptions)
    verify: bool = False


@dataclass(frozen=True)
class NewProjectResult:
    """The project that was created (``committed``: its own repository got its first commits)."""

    destination: Path
    template: Template
    answers: Mapping[str, Any]
    committed: bool = False


def create_project(request: NewProjectRequest) -> NewProjectResult:
    """Run the whole ``new`` workflow and return where the project is."""
    if request.verify and not request.postgen.install:
        raise UsageError("--verify needs the project's environment", hint="drop --no-install")
    # A DEST given on the command line is checked before the first question is asked.
    destination = check_destination(request.destination, force=request.force) if request.destination else None
    kind = _choose_template(request)
    if destination is None:
        destination = _ask_destination(request, kind)
    if request.postgen.git:
        console.show_notes(_enclosing_repository_notes(destination))
    # The template kind is TEMPLATE's (checked against the answers by _choose_template); render adds it.
    data = {key: value for key, value in request.answers.data.items() if key != "template"}
    with staging_for(destination) as staging:
        result = render(
            RenderRequest(
                template=kind,
                source=request.source,
                target=staging.project,
                answers=replace(request.answers, data=data),
                defaults=author_defaults(),
            )
        )
        console.show_notes(result.notes)
        # Re-checked: the folder may have changed while the questions were answered.
        check_destination(str(destination), force=request.force)
        rendered = rendered_files(staging.project)
        console.show_plan(destination, kind, result.answers, rendered)
        overwritten = conflicting_files(staging.project, destination) if destination.exists() else []
        # Files the user owns once they exist (CHANGELOG.md, .env, ...) keep the user's copy, as on update.
        kept = [path for path in overwritten if owned_by_user(path.as_posix(), list(result.skip_if_exists))]
        for path in kept:
            (staging.project / path).unlink()
        overwritten = [path for path in overwritten if path not in kept]
        _refuse_to_overwrite_uncommitted_work(destination, overwritten)
        console.show_overwrites(overwritten)
        console.show_kept(kept)
        place(staging.project, destination)
    steps = run_post_generation(
        destination,
        request.postgen,
        result.answers,
        console.status,
        rendered=[path.as_posix() for path in rendered],
    )
    console.show_steps(steps)
    if request.verify:
        _verify(destination, result.answers)
    committed = any(step.name == GIT_STEP and step.done for step in steps)
    return NewProjectResult(destination, kind, result.answers, committed=committed)


def _enclosing_repository_notes(destination: Path) -> list[str]:
    enclosing = git.enclosing_repository(destination)
    if enclosing is None:
        return []
    if enclosing.is_folder_itself:
        return [f"{destination} is a git repository already: aiscaffold will not commit there"]
    return [
        f"{destination} is inside the git repository {enclosing.top}: no repository or git hooks of its own"
    ]


def _refuse_to_overwrite_uncommitted_work(destination: Path, overwritten: list[Path]) -> None:
    if not overwritten or git.top_level(destination) is None:
        return
    changed = git.uncommitted(destination, [path.as_posix() for path in overwritten])
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        raise UncommittedChangesError(
            f"{len(changed)} file(s) the template would overwrite have uncommitted changes: {shown}",
            hint="commit or stash them first, then run the command again (nothing was written)",
        )


def _verify(project: Path, answers: Mapping[str, Any]) -> None:
    from aiscaffold.gates import run_gates  # noqa: PLC0415 - only --verify needs the gates table

    results = run_gates(project, answers, status=console.status)
    console.show_gates(results)
    failed = [result.name for result in results if result.passed is False]
    if failed:
        raise VerificationError(
            f"{len(failed)} check(s) failed in the new project: {', '.join(failed)}",
            hint=f"the project was kept; see the output above, fix, then re-run the check in {project}",
        )


def _choose_template(request: NewProjectRequest) -> Template:
    from_answers = request.answers.data.get("template")
    if request.template and from_answers and request.template != from_answers:
        raise InvalidAnswerError(
            f"TEMPLATE is {request.template!r} but the answers say {from_answers!r}",
            hint="drop one of them or make them agree",
        )
    name = request.template or from_answers
    # A local --source may have templates of its own (a fork, a fourth template); a URL is checked by copier.
    catalog = catalog_for(request.source.location)
    if name:
        return parse_template(str(name), catalog)
    if not request.answers.interactive:
        raise MissingAnswersError(
            "no TEMPLATE given and no terminal to ask on",
            hint="pass it as the first argument, e.g. `aiscaffold new api-service churn-api` "
            "(see `aiscaffold list`)",
        )
    from aiscaffold import prompts  # noqa: PLC0415 - questionary costs ~0.3 s; only a terminal session needs it

    return prompts.ask_template(catalog.values())


def _ask_destination(request: NewProjectRequest, kind: Template) -> Path:
    if not request.answers.interactive:
        raise MissingAnswersError(
            "no DEST given and no terminal to ask on",
            hint="pass the folder as the second argument, "
            f"e.g. `aiscaffold new {kind.name} {kind.default_folder}`",
        )
    from aiscaffold import prompts  # noqa: PLC0415

    raw = prompts.ask_destination(kind.default_folder, force=request.force)
    return check_destination(raw, force=request.force)
