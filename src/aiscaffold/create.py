"""The ``new`` workflow, start to finish: destination, questions, staged render, placement, post-steps.

The destination is untouched until the rendered project is complete; an error or Ctrl-C before that leaves
it exactly as it was (the staging folder beside it is always removed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aiscaffold import console
from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import Template, catalog_for, parse_template
from aiscaffold.destination import check_destination, conflicting_files, place, rendered_files, staging_for
from aiscaffold.errors import InvalidAnswerError, MissingAnswersError, UsageError, VerificationError
from aiscaffold.generator import RenderRequest, render
from aiscaffold.identity import author_defaults
from aiscaffold.postgen import PostGenOptions, run_post_generation
from aiscaffold.sources import TemplateSource


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
    """The project that was created."""

    destination: Path
    template: Template
    answers: Mapping[str, Any]


def create_project(request: NewProjectRequest) -> NewProjectResult:
    """Run the whole ``new`` workflow and return where the project is."""
    if request.verify and not request.postgen.install:
        raise UsageError("--verify needs the project's environment", hint="drop --no-install")
    # A DEST given on the command line is checked before the first question is asked.
    destination = check_destination(request.destination, force=request.force) if request.destination else None
    kind = _choose_template(request)
    if destination is None:
        destination = _ask_destination(request, kind)
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
        console.show_overwrites(
            conflicting_files(staging.project, destination) if destination.exists() else []
        )
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
    return NewProjectResult(destination=destination, template=kind, answers=result.answers)


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
