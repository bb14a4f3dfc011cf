"""The only module that prints: status spinners, the summary, next steps and red error lines.

Results and summaries go to stdout; errors, warnings and spinners go to stderr so stdout stays clean for
scripts (``aiscaffold list`` piped into ``cut``, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from aiscaffold.catalog import TemplateKind
from aiscaffold.errors import UserError
from aiscaffold.postgen import StepOutcome

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Answers worth repeating in the summary, in this order; the rest are in .copier-answers.yml.
_SUMMARY_KEYS = ("project_name", "project_slug", "package_name", "python_version", "license", "ci_provider")


def show_version(version: str) -> None:
    """Print ``aiscaffold VERSION``."""
    out.print(f"aiscaffold {version}")


def show_catalog(kinds: Iterable[TemplateKind]) -> None:
    """Print the templates with their one-line descriptions."""
    for kind in kinds:
        out.print(f"[bold]{kind.value:<13}[/] {escape(kind.description)}", soft_wrap=True)


@contextmanager
def status(message: str) -> Iterator[None]:
    """Show a spinner with ``message`` while the block runs (a plain line when stderr is not a terminal)."""
    if err.is_terminal:
        with err.status(escape(message)):
            yield
    else:
        err.print(f"{escape(message)} …")
        yield


def show_plan(
    destination: Path, template: TemplateKind, answers: Mapping[str, Any], files: Sequence[Path]
) -> None:
    """Summarise what is about to be written, before it is."""
    out.print(f"\n[bold]Creating[/] {escape(template.value)} project in [bold]{escape(str(destination))}[/]")
    for key in _SUMMARY_KEYS:
        if key in answers:
            out.print(f"  {key:<15} {escape(str(answers[key]))}")
    out.print(f"  {'files':<15} {len(files)}")


def show_overwrites(paths: Sequence[Path]) -> None:
    """List the user's files that the template replaces (``--force``)."""
    if paths:
        err.print(f"[yellow]Overwriting {len(paths)} existing file(s):[/]")
        for path in paths:
            err.print(f"  [yellow]{escape(str(path))}[/]")


def show_notes(notes: Iterable[str]) -> None:
    """Print warnings from the engine, one line each."""
    for note in notes:
        err.print(f"[yellow]note:[/] {escape(note)}")


def show_steps(steps: Iterable[StepOutcome]) -> None:
    """One line per post-generation step: done, or skipped and why."""
    for step in steps:
        if step.done:
            out.print(f"  [green]✓[/] {escape(step.name)}")
        else:
            out.print(f"  [dim]- {escape(step.name)} skipped: {escape(step.detail)}[/]")


def show_next_steps(destination: Path, slug: str, installed: bool) -> None:
    """Tell the user what to type next."""
    out.print(f"\n[bold green]Done.[/] Next steps:\n  cd {escape(str(destination))}")
    if not installed:
        out.print("  uv sync")
    out.print(f"  make test        # or: uv run pytest\n  uv run {escape(slug)} --help\n  Read README.md")


def show_error(error: UserError) -> None:
    """One red line, and the hint on the next when there is one."""
    err.print(f"[bold red]Error:[/] {escape(error.message)}")
    if error.hint:
        err.print(f"[dim]Hint:[/] {escape(error.hint)}")


def show_cancelled() -> None:
    """The Ctrl-C line."""
    err.print("[yellow]Cancelled, nothing was written.[/]")
