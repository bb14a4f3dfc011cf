"""The only module that prints: status spinners, the summary, next steps and red error lines.

Results and summaries go to stdout; errors, warnings and spinners go to stderr so stdout stays clean for
scripts (``aiscaffold list`` piped into ``cut``, say).
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiscaffold.catalog import Template
from aiscaffold.errors import UserError

if TYPE_CHECKING:
    from rich.console import Console

    from aiscaffold.gates import GateResult
    from aiscaffold.postgen import StepOutcome
    from aiscaffold.questions import Question
    from aiscaffold.update import UpdateProjectResult


# Rich is imported on first use, not at start-up: `aiscaffold --help` must stay fast.
@cache
def _console(*, stderr: bool) -> Console:
    from rich.console import Console  # noqa: PLC0415

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _out() -> Console:
    return _console(stderr=False)


def _err() -> Console:
    return _console(stderr=True)


def escape(text: str) -> str:
    """Rich-escape ``text`` so brackets in paths and answers print as typed."""
    from rich.markup import escape as rich_escape  # noqa: PLC0415

    return rich_escape(text)


# Answers worth repeating in the summary, in this order; the rest are in .copier-answers.yml.
_SUMMARY_KEYS = ("project_name", "project_slug", "package_name", "python_version", "license", "ci_provider")


def show_version(version: str) -> None:
    """Print ``aiscaffold VERSION``."""
    _out().print(f"aiscaffold {version}")


def show_catalog(templates: Iterable[Template]) -> None:
    """Print the templates with their one-line descriptions."""
    for template in templates:
        _out().print(f"[bold]{template.name:<13}[/] {escape(template.description)}", soft_wrap=True)


def show_questions(template: Template, questions: Iterable[Question]) -> None:
    """``aiscaffold list TEMPLATE``: each question's key and help, its values and default."""
    out = _out()
    out.print(f"[bold]{escape(template.name)}[/]: {escape(template.description)}\n")
    for question in questions:
        out.print(f"  [bold]{escape(question.name)}[/]  {escape(question.help)}")
        if question.derived:
            out.print("      default: derived from the answers before it")
        elif question.default is not None:
            default = question.default
            text = str(default).lower() if isinstance(default, bool) else str(default)  # as --data takes it
            out.print(f"      default: {escape(text)}")
        if any(label for _, label in question.choices):
            width = max(len(value) for value, _ in question.choices)
            for value, label in question.choices:
                out.print(f"      {escape(value):<{width}}  [dim]{escape(label)}[/]")
        elif question.choices or question.type == "bool":
            values = [value for value, _ in question.choices] or ["true", "false"]
            out.print(f"      values: {escape(', '.join(values))}")
        if question.condition:
            out.print(f"      asked when: {escape(question.condition)}")
    out.print(f"\nAnswer them with --data KEY=VALUE: `aiscaffold new {template.name} DEST --data KEY=VALUE`.")


@contextmanager
def status(message: str) -> Iterator[None]:
    """Show a spinner with ``message`` while the block runs (a plain line when stderr is not a terminal)."""
    if _err().is_terminal:
        with _err().status(escape(message)):
            yield
    else:
        _err().print(f"{escape(message)} …")
        yield


def show_plan(
    destination: Path, template: Template, answers: Mapping[str, Any], files: Sequence[Path]
) -> None:
    """Summarise what is about to be written, before it is."""
    out = _out()
    out.print(f"\n[bold]Creating[/] {escape(template.name)} project in [bold]{escape(str(destination))}[/]")
    for key in _SUMMARY_KEYS:
        if key in answers:
            out.print(f"  {key:<15} {escape(str(answers[key]))}")
    out.print(f"  {'files':<15} {len(files)}")


def show_overwrites(paths: Sequence[Path]) -> None:
    """List the user's files that the template replaces (``--force``)."""
    if paths:
        _err().print(f"[yellow]Overwriting {len(paths)} existing file(s):[/]")
        for path in paths:
            _err().print(f"  [yellow]{escape(str(path))}[/]")


def show_kept(paths: Sequence[Path]) -> None:
    """List the user's files that the template would have written but the user owns (``--force``)."""
    if paths:
        _err().print(f"Keeping your {len(paths)} file(s) that the project owns once they exist:")
        for path in paths:
            _err().print(f"  {escape(str(path))}")


def show_notes(notes: Iterable[str]) -> None:
    """Print warnings from the engine, one line each."""
    for note in notes:
        _err().print(f"[yellow]note:[/] {escape(note)}")


def show_steps(steps: Iterable[StepOutcome]) -> None:
    """One line per post-generation step: done, or skipped and why."""
    for step in steps:
        if step.done:
            _out().print(f"  [green]✓[/] {escape(step.name)}")
        else:
            _out().print(f"  [dim]- {escape(step.name)} skipped: {escape(step.detail)}[/]")


def show_next_steps(destination: Path, slug: str, *, installed: bool, committed: bool) -> None:
    """Tell the user what to type next (``committed``: the project's own repository has its first commit)."""
    # Quoted for the shell: the steps are meant to be pasted, and a folder name may hold spaces.
    _out().print(f"\n[bold green]Done.[/] Next steps:\n  cd {escape(shlex.quote(str(destination)))}")
    if not installed:
        # The project's CI installs from uv.lock (`uv sync --locked`): it must be made and committed.
        _out().print("  make setup       # uv lock, uv sync and the git hooks")
        if committed:
            _out().print('  git add uv.lock && git commit -m "chore: lock dependencies (uv lock)"')
    _out().print(f"  make test        # or: uv run pytest\n  uv run {escape(slug)} --help\n  Read README.md")


def show_gates(results: Iterable[GateResult]) -> None:
    """The ``--verify`` table: one row per gate, with the tail of the output of those that failed."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title="Verification", title_justify="left")
    for column in ("check", "result", "time"):
        table.add_column(column)
    failures = []
    for result in results:
        if result.passed is None:
            table.add_row(result.name, "[dim]skipped[/]", f"[dim]{escape(result.output)}[/]")
            continue
        table.add_row(
            result.name, "[green]pass[/]" if result.passed else "[red]FAIL[/]", f"{result.seconds:.1f} s"
        )
        if not result.passed:
            failures.append(result)
    _out().print(table)
    for result in failures:
        _err().print(f"[red]{escape(result.name)} failed:[/]")
        _err().print("\n".join(result.output.splitlines()[-25:]), markup=False)


def show_update(result: UpdateProjectResult, *, pretend: bool) -> None:
    """The paths an update changed, or with ``pretend`` would change (and what would become of each); with
    ``--verify``, the gate table and whether the project was written; the CHANGELOG entries it brings."""
    out = _out()
    if result.new_version == result.old_version and not result.changed:
        out.print(f"Already at {escape(result.old_version)}; nothing to update.")
        return
    versions = f"from {escape(result.old_version)} to {escape(str(result.new_version))}"
    verified = bool(result.gates)
    if pretend:
        out.print(f"Would update {versions}:")
    elif verified and not result.written:
        out.print(f"Checked the update {versions} in a scratch copy; the project was not changed:")
    else:
        out.print(f"Updated {versions}")
    for path in result.changed:
        verb = "add" if path in result.added else "delete" if path in result.deleted else "change"
        conflict = ""
        if path in result.conflicted:
            conflict = " (and leave a conflict to resolve)" if pretend else " (conflict to resolve)"
        out.print(f"  {'would ' if pretend else ''}{verb:<6} {escape(path)}{conflict}")
    if verified:
        show_gates(result.gates)
    if result.changelog:
        out.print("\nWhat the templates changed (CHANGELOG):")
        out.print(result.changelog, markup=False)
    if pretend:
        out.print("Nothing was written (--pretend).")
    elif result.written and result.changed:
        out.print(_review_hint(merged=result.merged))


def _review_hint(*, merged: bool) -> str:
    if merged:
        # The update is a git merge in progress: committing it records the template version in history.
        return (
            "Review with `git diff HEAD`, run the checks (make test), then `git commit` "
            "(it completes the merge; `git merge --abort` undoes the update)."
        )
    return "Review with `git diff`, run the checks (make test), then commit."


def show_drift(findings: Sequence[tuple[str, str]]) -> None:
    """The files that drifted from the template, each with why, and how to heal one."""
    out = _out()
    if not findings:
        out.print("No drift: every template-owned file matches the template or your own commits.")
        return
    out.print(f"{len(findings)} file(s) drifted from the template:")
    for path, reason in findings:
        out.print(f"  {escape(path)}: {escape(reason)}")
    out.print("Heal one with `aiscaffold drift --heal FILE` (it leaves the diff for review).")


def show_healed(paths: Sequence[str]) -> None:
    """The files ``drift --heal`` changed."""
    for path in paths:
        _out().print(f"Healed {escape(path)}")
    _out().print("Review with `git diff`, then commit (or `git checkout -- FILE` to drop it).")


def show_json(value: object) -> None:
    """``value`` as indented JSON on standard output, plain (no colour or wrapping: scripts read it)."""
    sys.stdout.write(json.dumps(value, indent=2) + "\n")


def show_project_status(
    path: str,
    template: str | None,
    version: str | None,
    newest: str | None,
    *,
    pending: bool,
    error: str | None,
) -> None:
    """One line of ``check``: where the project stands against the newest template version."""
    out = _out()
    if error is not None:
        out.print(f"{escape(path)}: [bold red]cannot check[/] ({escape(error)})")
    elif pending:
        out.print(
            f"{escape(path)}: {escape(str(template))} {escape(str(version))} -> {escape(str(newest))} "
            "[yellow]update pending[/] (run `aiscaffold update` there)"
        )
    else:
        out.print(f"{escape(path)}: {escape(str(template))} {escape(str(version))}, up to date")


def show_error(error: UserError) -> None:
    """One red line, and the hint on the next when there is one."""
    _err().print(f"[bold red]Error:[/] {escape(error.message)}")
    if error.hint:
        _err().print(f"[dim]Hint:[/] {escape(error.hint)}")


def show_cancelled() -> None:
    """The Ctrl-C line."""
    _err().print("[yellow]Cancelled, nothing was written.[/]")
