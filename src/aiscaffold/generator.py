"""The engine: one request in, one staged project out. The only module that imports copier.

Copier is imported lazily (inside functions) so ``aiscaffold --help`` never pays for it. We drive copier's
``Worker`` directly rather than ``run_copy`` for two guarantees copier does not give on its own (see
docs/decisions.md): every answer is validated, defaults included, and without a terminal a question that was
neither answered nor defaulted is an error instead of a prompt.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from aiscaffold.catalog import TemplateKind
from aiscaffold.errors import InvalidAnswerError, MissingAnswersError, RenderError, TemplateSourceError
from aiscaffold.sources import TemplateSource

if TYPE_CHECKING:
    from copier._main import Worker

ConflictStyle = Literal["inline", "rej"]


@dataclass(frozen=True)
class RenderRequest:
    """Everything copier needs to render one project.

    Attributes:
        template: Which template to render.
        source: Where the template root comes from.
        target: The (staging) folder copier writes into; its name becomes the default project name.
        data: Answers given up front (``--answers-file`` then ``--data``); validated like typed ones.
        user_defaults: Defaults that replace the template's own (e.g. the author from git config).
        accept_defaults: Take the default for every question not in ``data``.
        interactive: May ask questions on the terminal. When False and not ``accept_defaults``, every
            question that applies must be answered in ``data``.
        previous: A project's earlier answers (an update's re-render): used like ``data``, except that
            answers to questions the template no longer asks are dropped rather than refused.
    """

    template: TemplateKind
    source: TemplateSource
    target: Path
    data: Mapping[str, Any] = field(default_factory=dict)
    user_defaults: Mapping[str, Any] = field(default_factory=dict)
    accept_defaults: bool = False
    interactive: bool = True
    previous: Mapping[str, Any] = field(default_factory=dict)


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
    data = {**request.data, "template": request.template.value}
    settings = _WorkerSettings(
        src_path=request.source.location,
        dst_path=request.target,
        vcs_ref=request.source.vcs_ref,
        data=data,
        user_defaults=dict(request.user_defaults),
        accept_defaults=request.accept_defaults,
        interactive=request.interactive,
        previous=dict(request.previous),
    )
    return _drive(settings, request.template.value, lambda worker: worker.run_copy())


@dataclass(frozen=True)
class UpdateRequest:
    """Everything copier needs to update one project.

    Attributes:
        project: The generated project (a clean git work tree with ``.copier-answers.yml``).
        vcs_ref: The template version to update to; None for the newest tag.
        template: The project's template (from its answers), checked against the source.
        data: New or changed answers; validated like typed ones.
        accept_defaults: Keep previous answers and take defaults for new questions without asking.
        interactive: May ask questions on the terminal.
        conflict: ``inline`` (conflict markers in files) or ``rej`` (``.rej`` files beside them).
    """

    project: Path
    vcs_ref: str | None
    template: str
    data: Mapping[str, Any] = field(default_factory=dict)
    accept_defaults: bool = False
    interactive: bool = True
    conflict: ConflictStyle = "inline"


def update(request: UpdateRequest) -> RenderResult:
    """Bring ``request.project`` to the template version ``request.vcs_ref`` (copier's three-way update).

    Raises the same errors as ``render``.
    """
    settings = _WorkerSettings(
        src_path=None,  # copier reads _src_path from the project's answers file
        dst_path=request.project,
        vcs_ref=request.vcs_ref,
        data=dict(request.data),
        user_defaults={},
        accept_defaults=request.accept_defaults,
        interactive=request.interactive,
        conflict=request.conflict,
    )
    return _drive(settings, request.template, lambda worker: worker.run_update())


@dataclass(frozen=True)
class _WorkerSettings:
    src_path: str | None
    dst_path: Path
    vcs_ref: str | None
    data: dict[str, Any]
    user_defaults: dict[str, Any]
    accept_defaults: bool
    interactive: bool
    conflict: ConflictStyle = "inline"
    previous: dict[str, Any] = field(default_factory=dict)


def _drive(settings: _WorkerSettings, template: str, action: Callable[[Worker], None]) -> RenderResult:
    """Run ``action`` on a checked worker, turning copier's errors and warnings into ours."""
    from copier.errors import CopierError  # noqa: PLC0415 - lazy: keeps `aiscaffold --help` fast

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        worker = _make_worker(settings)
        try:
            _check_source(worker, template)
            _check_keys(worker, settings.data, template)
            _check_bool_words(worker, settings.data)
            _add_previous_answers(worker, settings.previous, settings.data)
            action(worker)
            commit = worker.template.commit
            skip_if_exists = tuple(worker.template.skip_if_exists)
        except (InvalidAnswerError, MissingAnswersError, TemplateSourceError, KeyboardInterrupt):
            raise  # copier's Ctrl-C error is also a CopierError: it must stay a KeyboardInterrupt
        except CopierError as error:
            raise RenderError(f"copier failed: {_one_line(error)}") from error
        finally:
            worker._cleanup()  # removes copier's clones of git sources
    combined = worker.answers.combined
    answers = {name: combined[name] for name in _questions(worker) if name not in worker.answers.hidden}
    return RenderResult(
        # Copier repeats some warnings once per pass over the template; each is worth one line.
        answers=answers,
        commit=commit,
        notes=tuple(dict.fromkeys(_one_line(w.message) for w in caught)),
        skip_if_exists=skip_if_exists,
    )


def _make_worker(settings: _WorkerSettings) -> Worker:
    from copier._main import Worker  # noqa: PLC0415
    from copier._user_data import Question  # noqa: PLC0415

    must_answer_everything = not settings.interactive and not settings.accept_defaults

    class _CheckedWorker(Worker):
        def _ask(self) -> None:
            try:
                super()._ask()
                # Copier validates typed and --data answers but not defaults; a default derived from an
                # odd folder name must not slip through, so every answer that applies is checked here.
                context = self._render_context()
                for name, details in self.template.questions_data.items():
                    if name in self.answers.hidden:
                        continue
                    question = Question(
                        answers=self.answers,
                        context=context,
                        jinja_env=self.jinja_env,
                        settings=self.settings,
                        var_name=name,
                        **details,
                    )
                    question.validate_answer(self.answers.combined[name])
            except (ValueError, TypeError) as error:  # copier's parse, cast and validation errors
                raise _invalid_answer(error) from error
            if must_answer_everything:
                # `self.data`, not the request's: an update replays the old version in a copy of this worker
                # whose data holds every previous answer.
                _check_all_answered(self, self.data)

    return _CheckedWorker(
        src_path=settings.src_path,
        dst_path=settings.dst_path,
        vcs_ref=settings.vcs_ref,
        data=settings.data,
        user_defaults=settings.user_defaults,
        # Without a terminal we never prompt: copier takes defaults and _check_all_answered decides.
        defaults=settings.accept_defaults or not settings.interactive,
        overwrite=True,
        quiet=True,
        skip_tasks=True,
        unsafe=False,
        cleanup_on_error=False,
        conflict=settings.conflict,
    )


def _check_source(worker: Worker, template: str) -> None:
    source = worker.src_path or "the project's _src_path"
    try:
        questions = worker.template.questions_data
        root = worker.template.local_abspath
    except Exception as error:  # copier and git raise many kinds; all mean "cannot load this source"
        raise TemplateSourceError(
            f"cannot load templates from {source}: {_one_line(error)}",
            hint="check the source and the version asked for (a local folder or a git URL, and a tag or ref)",
        ) from error
    if "template" not in questions or not (root / "templates" / template).is_dir():
        raise TemplateSourceError(
            f"{source} has no {template!r} template", hint="the source must be an aiscaffold template root"
        )


def _questions(worker: Worker) -> list[str]:
    return list(worker.template.questions_data)


def _check_keys(worker: Worker, data: Mapping[str, Any], template: str) -> None:
    valid = _questions_of(worker, template)
    unknown = sorted(set(data) - set(valid))
    if unknown:
        raise InvalidAnswerError(
            f"unknown answer key{'s' if len(unknown) > 1 else ''} for {template}: {', '.join(unknown)}",
            hint=f"valid keys are: {', '.join(sorted(valid))}",
        )


def _questions_of(worker: Worker, template: str) -> list[str]:
    """The questions `template` asks: those whose `when` holds for it (or may hold, if it needs more)."""
    import jinja2  # noqa: PLC0415

    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701
    asked = []
    for name, details in worker.template.questions_data.items():
        when = details.get("when", True)
        if isinstance(when, str):
            try:
                when = environment.from_string(when).render(template=template).strip() != "False"
            except jinja2.UndefinedError:  # depends on other answers: copier decides later
                when = True
        if when:
            asked.append(name)
    return asked


def _add_previous_answers(worker: Worker, previous: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    # Copier asks nothing it has data for, and validates it all in `_ask`: earlier answers join the data
    # before the run. A question the template dropped is no error here (nobody typed it).
    questions = worker.template.questions_data
    kept = {name: value for name, value in previous.items() if name in questions and name not in data}
    worker.data.update(kept)


_BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "on", "off", "1", "0"}


def _check_bool_words(worker: Worker, data: Mapping[str, Any]) -> None:
    # Copier reads any unknown text as true ("maybe" -> True); a typo must not flip an option silently.
    for name, value in data.items():
        is_bool = worker.template.questions_data[name].get("type") == "bool"
        if is_bool and isinstance(value, str) and value.strip().lower() not in _BOOL_WORDS:
            raise InvalidAnswerError(
                f"invalid answer '{name}': {value!r} is not a yes/no value", hint="use true or false"
            )


def _check_all_answered(worker: Worker, data: Mapping[str, Any]) -> None:
    # An update already has the project's previous answers (copier keeps them): only new questions are open.
    previous = worker.answers.last
    missing = [
        name
        for name in worker.template.questions_data
        if name not in worker.answers.hidden and name not in data and name not in previous
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
