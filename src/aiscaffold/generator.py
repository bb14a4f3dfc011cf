"""The engine: one request in, one rendered project out; turns copier's errors and warnings into ours.

It reaches copier's internals only through ``copier_adapter`` (and imports copier's public errors here),
lazily, so ``aiscaffold --help`` never pays for copier. On top of copier (see docs/decisions.md): without a
terminal, a question that was neither answered nor defaulted is an error instead of a prompt; ``--data``
keys and yes/no words are checked before copier runs; and an answer copier refuses (a failed validator,
defaults included, or an invalid choice) is a one-line ``InvalidAnswerError``. All of it follows the
request's ``AnswerPolicy``, the same value for ``new`` and ``update``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import Template
from aiscaffold.copier_adapter import ConflictStyle, CopierRun
from aiscaffold.errors import InvalidAnswerError, MissingAnswersError, RenderError, TemplateSourceError
from aiscaffold.sources import TemplateSource

if TYPE_CHECKING:
    import jinja2

__all__ = ["ConflictStyle", "RenderRequest", "RenderResult", "UpdateRequest", "render", "update"]


@dataclass(frozen=True)
class RenderRequest:
    """Everything copier needs to render one project.

    Attributes:
        template: Which template to render.
        source: Where the template root comes from.
        target: The (staging) folder copier writes into; its name becomes the default project name.
        answers: Where the answers come from (given, defaulted, asked).
        defaults: Defaults that replace the template's own (e.g. the author from git config).
        previous: A project's earlier answers (an update's re-render). When questions are asked they are
            the defaults; otherwise they stand like given answers, except that an answer to a question the
            template no longer asks is dropped rather than refused.
    """

    template: Template
    source: TemplateSource
    target: Path
    answers: AnswerPolicy = field(default_factory=AnswerPolicy)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    previous: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class UpdateRequest:
    """Everything copier needs to update one project in place (its three-way update).

    Attributes:
        project: The generated project (a clean git work tree with ``.copier-answers.yml``).
        template: The project's template (from its answers), checked against the source.
        vcs_ref: The template version to update to; None for the newest tag.
        answers: Where new or changed answers come from; the project's previous answers are kept.
        conflict: ``inline`` (conflict markers in files) or ``rej`` (``.rej`` files beside them).
    """

    project: Path
    template: str
    vcs_ref: str | None
    answers: AnswerPolicy = field(default_factory=AnswerPolicy)
    conflict: ConflictStyle = "inline"


@dataclass(frozen=True)
class RenderResult:
    """What copier produced.

    Attributes:
        answers: The answers recorded in the project (without copier's ``_`` metadata).
        commit: The template commit rendered, when the source is a git repository.
        notes: Warnings copier raised, as one-line messages for the console.
        skip_if_exists: The template's ``_skip_if_exists`` patterns: files the user owns once they exist.
    """

    answers: Mapping[str, Any]
    commit: str | None
    notes: tuple[str, ...] = ()
    skip_if_exists: tuple[str, ...] = ()


def render(request: RenderRequest) -> RenderResult:
    """Ask the template's questions (or take them from the request) and render into ``request.target``.

    Raises:
        TemplateSourceError: The source cannot be loaded.
        InvalidAnswerError: An answer fails its validator, is not a valid choice, or names no question.
        MissingAnswersError: Not interactive, defaults not accepted, and answers are missing.
        RenderError: Copier failed while rendering.
        KeyboardInterrupt: The user pressed Ctrl-C at a prompt or while rendering.
    """
    policy = request.answers
    defaults, previous = request.defaults, request.previous
    if policy.prompts:
        # In a terminal every question is asked again, with the project's earlier answer as its default.
        defaults, previous = {**defaults, **previous}, {}
    data = {**policy.data, "template": request.template.name}
    source = request.source
    start = partial(_start, policy, src_path=source.location, dst_path=request.target, vcs_ref=source.vcs_ref,
                    data=data, user_defaults=defaults, conflict="inline")  # fmt: skip
    return _drive(start, request.template.name, data, previous, CopierRun.copy)


def update(request: UpdateRequest) -> RenderResult:
    """Bring ``request.project`` to the template version ``request.vcs_ref`` (copier's three-way update).

    Raises the same errors as ``render``.
    """
    data = dict(request.answers.data)
    # No source: copier reads _src_path from the project's answers file.
    start = partial(_start, request.answers, src_path=None, dst_path=request.project, vcs_ref=request.vcs_ref,
                    data=data, user_defaults={}, conflict=request.conflict)  # fmt: skip
    return _drive(start, request.template, data, {}, CopierRun.update)


def _start(
    policy: AnswerPolicy,
    *,
    src_path: str | None,
    dst_path: Path,
    vcs_ref: str | None,
    data: Mapping[str, Any],
    user_defaults: Mapping[str, Any],
    conflict: ConflictStyle,
) -> CopierRun:
    def ask_checked(run: CopierRun, ask: Callable[[], None]) -> None:
        if policy.prompts:
            from aiscaffold.prompts import wrap_long_messages  # noqa: PLC0415 - questionary only when asking

            wrap_long_messages()
        try:
            # Copier validates every answer that applies here, defaults included (a default derived from
            # an odd folder name is refused like a typed one; the contract test pins this).
            ask()
        except (ValueError, TypeError) as error:  # copier's parse, cast and validation errors
            raise _invalid_answer(error) from error
        if policy.strict:
            _check_all_answered(run)

    return CopierRun.start(
        src_path=src_path,
        dst_path=dst_path,
        vcs_ref=vcs_ref,
        data=data,
        user_defaults=user_defaults,
        # Without a terminal we never prompt: copier takes defaults and _check_all_answered decides.
        defaults=not policy.prompts,
        conflict=conflict,
        around_ask=ask_checked,
    )


def _drive(
    start: Callable[[], CopierRun],
    template: str,
    data: Mapping[str, Any],
    previous: Mapping[str, Any],
    action: Callable[[CopierRun], None],
) -> RenderResult:
    """Start a run, check the request against its template, run ``action``, and turn copier's errors and
    warnings (all of them, from the start) into ours."""
    from copier.errors import CopierError  # noqa: PLC0415 - lazy: keeps `aiscaffold --help` fast

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = start()
        try:
            _check_source(run, template)
            _check_keys(run, data, template)
            _check_bool_words(run, data)
            _add_previous_answers(run, previous, data)
            action(run)
            commit, skip_if_exists = run.commit, run.skip_if_exists
        except (InvalidAnswerError, MissingAnswersError, TemplateSourceError, KeyboardInterrupt):
            raise  # copier's Ctrl-C error is also a CopierError: it must stay a KeyboardInterrupt
        except CopierError as error:
            raise RenderError(f"copier failed: {_one_line(error)}") from error
        finally:
            run.cleanup()
    answers, hidden = run.answers, run.hidden
    return RenderResult(
        answers={name: answers[name] for name in run.questions if name not in hidden},
        commit=commit,
        # Copier repeats some warnings once per pass over the template; each is worth one line.
        notes=tuple(dict.fromkeys(_one_line(w.message) for w in caught)),
        skip_if_exists=skip_if_exists,
    )


def _check_source(run: CopierRun, template: str) -> None:
    source = run.source or "the project's _src_path"
    try:
        questions = run.questions
        root = run.template_root
    except Exception as error:  # copier and git raise many kinds; all mean "cannot load this source"
        raise TemplateSourceError(
            f"cannot load templates from {source}: {_one_line(error)}",
            hint="check the source and the version asked for (a local folder or a git URL, and a tag or ref)",
        ) from error
    if "template" not in questions or not (root / "templates" / template).is_dir():
        raise TemplateSourceError(
            f"{source} has no {template!r} template", hint="the source must be an aiscaffold template root"
        )


def _check_keys(run: CopierRun, data: Mapping[str, Any], template: str) -> None:
    # Only the given keys' `when`s are rendered (the full list is worked out for the hint alone): the common
    # run gives no key besides the template.
    unknown = sorted(name for name in data if not _asks(run, name, template))
    if unknown:
        valid = [name for name in run.questions if _asks(run, name, template)]
        raise InvalidAnswerError(
            f"unknown answer key{'s' if len(unknown) > 1 else ''} for {template}: {', '.join(unknown)}",
            hint=f"valid keys are: {', '.join(sorted(valid))}",
        )


def _asks(run: CopierRun, name: str, template: str) -> bool:
    """Whether `template` asks question `name`: its `when` holds for it (or may hold, if it needs more)."""
    import jinja2  # noqa: PLC0415

    details = run.questions.get(name)
    if details is None:
        return False
    when = details.get("when", True)
    if not isinstance(when, str):
        return bool(when)
    try:
        return _when_environment().from_string(when).render(template=template).strip() != "False"
    except jinja2.UndefinedError:  # depends on other answers: copier decides later
        return True


@cache
def _when_environment() -> jinja2.Environment:
    import jinja2  # noqa: PLC0415

    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701


def _add_previous_answers(run: CopierRun, previous: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    # Copier asks nothing it has data for, and validates it all in `_ask`: earlier answers join the data
    # before the run. A question the template dropped is no error here (nobody typed it).
    questions = run.questions
    run.add_data({name: value for name, value in previous.items() if name in questions and name not in data})


_BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "on", "off", "1", "0"}


def _check_bool_words(run: CopierRun, data: Mapping[str, Any]) -> None:
    # Copier reads any unknown text as true ("maybe" -> True); a typo must not flip an option silently.
    for name, value in data.items():
        is_bool = run.questions[name].get("type") == "bool"
        if is_bool and isinstance(value, str) and value.strip().lower() not in _BOOL_WORDS:
            raise InvalidAnswerError(
                f"invalid answer '{name}': {value!r} is not a yes/no value", hint="use true or false"
            )


def _check_all_answered(run: CopierRun) -> None:
    # The run's own data, not the request's: an update replays the old version in a copy of the run whose
    # data holds every previous answer. An update also has the project's previous answers (copier keeps
    # them): only new questions are open.
    data, previous, hidden = run.data, run.previous, run.hidden
    missing = [
        name for name in run.questions if name not in hidden and name not in data and name not in previous
    ]
    if missing:
        raise MissingAnswersError(
            f"no terminal to ask on, and these questions have no answer: {', '.join(missing)}",
            hint="pass --defaults to accept their defaults, and --data KEY=VALUE for the rest",
        )


def _invalid_answer(error: Exception) -> InvalidAnswerError:
    # Copier words these as "Validation error for question 'x': reason" or "Invalid choice for 'x': ...".
    message = _one_line(error)
    for preamble in ("Validation error for question ", "Invalid choice for "):
        message = message.replace(preamble, "")
    return InvalidAnswerError(f"invalid answer {message}", hint="fix the value and run the command again")


def _one_line(error: object) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__
