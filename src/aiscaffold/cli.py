"""The ``aiscaffold`` command line: parse options, build one request, call the workflow, map errors to exits.

Exit codes (the README repeats this table): 0 success, 1 failure (source unreachable, render or
post-generation step failed), 2 bad input or usage, 3 an update is pending (`check`), 4 files drifted
from the template (`drift`), 130 cancelled (Ctrl-C, SIGTERM, SIGHUP).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from aiscaffold import __version__, console
from aiscaffold.errors import UsageError, UserError

EXIT_CANCELLED = 130
EXIT_UPDATE_PENDING = 3
EXIT_DRIFT_FOUND = 4


class ConflictOption(StrEnum):
    """``--conflict`` choices (copier's names)."""

    INLINE = "inline"
    REJ = "rej"


app = typer.Typer(
    name="aiscaffold",
    help="Generate production-ready AI projects: model APIs, NLP pipelines and RAG apps.",
    no_args_is_help=True,
    # `aiscaffold --install-completion` adds tab completion of commands, options and template names.
    add_completion=True,
    pretty_exceptions_show_locals=False,  # locals can hold secrets (answers, tokens in URLs)
    rich_markup_mode=None,  # plain click help: rich help rendering alone costs ~0.3 s of start-up
)


@contextmanager
def _exit_codes() -> Iterator[None]:
    """The one place that turns errors into exit codes; anything unexpected keeps its traceback."""
    try:
        yield
    except UserError as error:
        console.show_error(error)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        console.show_cancelled()
        raise typer.Exit(EXIT_CANCELLED) from None


def _show_version(value: bool) -> None:
    if value:
        console.show_version(__version__)
        raise typer.Exit


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Generate production-ready AI projects: model APIs, NLP pipelines and RAG apps."""


def _template_names(incomplete: str) -> list[str]:
    """Shell completion of TEMPLATE."""
    from aiscaffold.catalog import bundled_catalog  # noqa: PLC0415 - read on use, not on --help

    return [name for name in bundled_catalog() if name.startswith(incomplete)]


@app.command("list")
def list_templates(
    template: Annotated[
        str | None,
        typer.Argument(
            help="Show this template's questions, their values and defaults (the --data keys).",
            autocompletion=_template_names,
        ),
    ] = None,
) -> None:
    """List the templates, or the questions TEMPLATE asks."""
    from aiscaffold.catalog import bundled_catalog, parse_template  # noqa: PLC0415 - read on use, not on --help

    if template is None:
        console.show_catalog(bundled_catalog().values())
        return
    from aiscaffold.questions import questions_of  # noqa: PLC0415 - yaml and jinja2 only for this
    from aiscaffold.sources import bundled_root  # noqa: PLC0415

    with _exit_codes():
        chosen = parse_template(template)
        console.show_questions(chosen, questions_of(chosen, bundled_root()))


@app.command()
def new(
    template: Annotated[
        str | None,
        typer.Argument(
            help="Template name, see `aiscaffold list` (asked when omitted).", autocompletion=_template_names
        ),
    ] = None,
    dest: Annotated[str | None, typer.Argument(help="Folder to create (asked when omitted).")] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Accept the default for every question not answered.")
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", metavar="KEY=VALUE", help="Answer a question (repeatable)."),
    ] = None,
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers-file", metavar="FILE", help="YAML mapping of answers; --data wins over it."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", metavar="PATH|URL", help="Template root to use instead of the bundled one."),
    ] = None,
    vcs_ref: Annotated[
        str | None, typer.Option("--vcs-ref", metavar="REF", help="Git tag, branch or commit of --source.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write into a non-empty DEST (only the template's files are overwritten)."
        ),
    ] = False,
    no_git: Annotated[bool, typer.Option("--no-git", help="Skip git init and the first commit.")] = False,
    no_install: Annotated[
        bool, typer.Option("--no-install", help="Skip uv lock, uv sync and pre-commit install.")
    ] = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Run the new project's own checks (lint, types, tests, hooks) and report."
        ),
    ] = False,
) -> None:
    """Create a new project from a template."""
    # Imported here, not at the top: they pull in questionary and yaml, which `--help` must not pay for.
    from aiscaffold.answers import AnswerPolicy, load_answers_file, parse_data_options  # noqa: PLC0415
    from aiscaffold.create import NewProjectRequest, create_project  # noqa: PLC0415
    from aiscaffold.postgen import PostGenOptions  # noqa: PLC0415
    from aiscaffold.sources import resolve_source  # noqa: PLC0415

    with _exit_codes():
        answers: dict[str, Any] = load_answers_file(answers_file) if answers_file else {}
        answers |= parse_data_options(data or [])
        request = NewProjectRequest(
            template=template,
            destination=dest,
            source=resolve_source(source, vcs_ref),
            answers=AnswerPolicy(answers, accept_defaults=defaults, interactive=_is_interactive()),
            force=force,
            postgen=PostGenOptions(git=not no_git, install=not no_install),
            verify=verify,
        )
        result = create_project(request)
        console.show_next_steps(
            result.destination,
            str(result.answers.get("project_slug", "")),
            installed=not no_install,
            committed=result.committed,
        )


@app.command("update")
def update_command(
    path: Annotated[
        Path, typer.Argument(help="The generated project (default: the current folder).")
    ] = Path(),
    vcs_ref: Annotated[
        str | None,
        typer.Option("--vcs-ref", metavar="REF", help="Template version to update to (default: newest)."),
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Show what would change; write nothing.")
    ] = False,
    conflict: Annotated[
        ConflictOption,
        typer.Option("--conflict", help="How to leave conflicts: markers in files, or .rej files."),
    ] = ConflictOption.INLINE,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Keep previous answers; take defaults for new questions.")
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", metavar="KEY=VALUE", help="Change an answer (repeatable)."),
    ] = None,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Update a scratch copy, run the project's checks, write only if they pass."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
) -> None:
    """Pull template improvements into a generated project (a three-way merge that keeps your edits)."""
    from aiscaffold.answers import AnswerPolicy, parse_data_options  # noqa: PLC0415
    from aiscaffold.update import (  # noqa: PLC0415
        UpdateProjectRequest,
        raise_for_outcome,
        update_project,
        update_report,
    )

    with _exit_codes():
        if verify and pretend:
            raise UsageError(
                "--verify and --pretend cannot be combined", hint="--pretend alone already writes nothing"
            )
        request = UpdateProjectRequest(
            project=path,
            vcs_ref=vcs_ref,
            answers=AnswerPolicy(
                parse_data_options(data or []),
                accept_defaults=defaults,
                interactive=_is_interactive() and not as_json,
            ),
            pretend=pretend,
            conflict=conflict.value,
            verify=verify,
        )
        result = update_project(request)
        if as_json:
            console.show_json(update_report(result, path))
        else:
            console.show_update(result, pretend=pretend)
        raise_for_outcome(result)


@app.command("check")
def check_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Generated projects (default: the current folder).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the statuses as JSON.")] = False,
) -> None:
    """Say for each project whether a newer template version exists (exit 3 when an update is pending)."""
    from aiscaffold.check import check_projects  # noqa: PLC0415

    with _exit_codes():
        statuses = check_projects(paths or [Path()])
    if as_json:
        console.show_json([dataclasses.asdict(status) for status in statuses])
    else:
        for status in statuses:
            console.show_project_status(
                status.path,
                status.template,
                status.version,
                status.newest,
                pending=status.pending,
                error=status.error,
            )
    if any(status.error for status in statuses):
        raise typer.Exit(2)
    if any(status.pending for status in statuses):
        raise typer.Exit(EXIT_UPDATE_PENDING)


@app.command("drift")
def drift_command(
    path: Annotated[
        Path, typer.Argument(help="The generated project (default: the current folder).")
    ] = Path(),
    heal: Annotated[
        list[str] | None,
        typer.Option("--heal", metavar="FILE", help="Bring the template's missing changes into FILE."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the drifted files as JSON.")] = False,
) -> None:
    """List template-owned files that silently diverged from the template (exit 4 when any did)."""
    from aiscaffold import drift  # noqa: PLC0415

    with _exit_codes():
        if heal:
            console.show_healed(drift.heal(path, heal))
            return
        findings = drift.find_drift(path)
    if as_json:
        console.show_json(drift.describe(findings))
    else:
        console.show_drift([(finding.path, finding.reason) for finding in findings])
    if findings:
        raise typer.Exit(EXIT_DRIFT_FOUND)


def _is_interactive() -> bool:
    """Prompt only on a real terminal outside CI."""
    ci = os.environ.get("CI", "").strip().lower()
    return sys.stdin.isatty() and ci in {"", "0", "false", "no"}


CANCEL_GRACE_SECONDS = 5.0


def _cancel(signal_number: int, frame: FrameType | None) -> None:
    """End the run the way Ctrl-C does; if it has not ended after a grace period, end it anyway.

    The KeyboardInterrupt is raised wherever the main thread is. Inside a prompt, prompt_toolkit can take
    it while tearing its application down and then wait forever (seen under load: the prompt closed, the
    process hung), and a closed terminal must never leave a process behind.
    """
    watchdog = threading.Timer(CANCEL_GRACE_SECONDS, _force_cancel)
    watchdog.daemon = True
    watchdog.start()
    signal.default_int_handler(signal_number, frame)


def _force_cancel() -> None:
    from aiscaffold.destination import remove_active_staging  # noqa: PLC0415

    remove_active_staging()
    sys.stderr.write("Cancelled.\n")
    os._exit(EXIT_CANCELLED)


def main() -> None:
    """Console-script entry point."""
    # A closed terminal (SIGHUP) or a plain `kill` (SIGTERM) ends a run the way Ctrl-C does, so the staging
    # folder is cleaned up and the destination keeps nothing half-written.
    for name in ("SIGHUP", "SIGTERM"):
        if hasattr(signal, name):  # Windows has neither
            signal.signal(getattr(signal, name), _cancel)
    app()
