"""Copier's internals, behind one small class: the only module that touches a private name of copier.

Copier's public API (``run_copy``, ``run_update``) has no hook between asking the questions and rendering,
which is where aiscaffold turns copier's answer errors into its own and refuses questions nobody answered
when there is no terminal. So we subclass its ``Worker``, from the private ``copier._main``, and read a
few of its attributes. Each private name used here is listed, with the shape
we rely on, in tests/unit/test_copier_contract.py: a copier upgrade that changes one fails that test, by
name, instead of somewhere in the CLI tests. Copier is imported when a run starts, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

ConflictStyle = Literal["inline", "rej"]
# Called in place of copier's questions: it must call the second argument (copier's own `_ask`) once.
AroundAsk = Callable[["CopierRun", Callable[[], None]], None]


class CopierRun:
    """One copier worker, copying or updating, and what aiscaffold reads from it.

    An update renders the old version in a copy of the worker (``dataclasses.replace``): ``around_ask``
    runs there too, with a ``CopierRun`` of that copy.
    """

    def __init__(self, worker: Any) -> None:
        self._worker = worker

    @classmethod
    def start(
        cls,
        *,
        src_path: str | None,
        dst_path: Path,
        vcs_ref: str | None,
        data: Mapping[str, Any],
        user_defaults: Mapping[str, Any],
        defaults: bool,
        conflict: ConflictStyle,
        around_ask: AroundAsk,
    ) -> CopierRun:
        """A worker for ``src_path`` (None: the project's recorded source) rendering into ``dst_path``.

        ``defaults``: take every default instead of prompting. Tasks, migrations and unsafe features are
        off, and copier leaves a failed render in place (the caller's staging folder is removed anyway).
        """
        from copier._main import Worker  # noqa: PLC0415 - lazy: keeps `aiscaffold --help` fast

        class _Worker(Worker):
            def _ask(self) -> None:
                around_ask(CopierRun(self), super()._ask)

        worker = _Worker(
            src_path=src_path,
            dst_path=dst_path,
            vcs_ref=vcs_ref,
            data=dict(data),
            user_defaults=dict(user_defaults),
            defaults=defaults,
            overwrite=True,
            quiet=True,
            skip_tasks=True,
            unsafe=False,
            cleanup_on_error=False,
            conflict=conflict,
        )
        return cls(worker)

    @property
    def source(self) -> str | None:
        """The template source asked for (None for an update: the project's answers say)."""
        return self._worker.src_path  # type: ignore[no-any-return]

    @property
    def questions(self) -> Mapping[str, Mapping[str, Any]]:
        """The template's questions as written in copier.yml (loading the template if needed)."""
        return self._worker.template.questions_data  # type: ignore[no-any-return]

    @property
    def template_root(self) -> Path:
        """The local copy of the template root (copier's clone of a git source)."""
        return Path(self._worker.template.local_abspath)

    @property
    def commit(self) -> str | None:
        """The template version rendered (its git describe), None when the source is not a repository."""
        return self._worker.template.commit  # type: ignore[no-any-return]

    @property
    def skip_if_exists(self) -> tuple[str, ...]:
        """The template's ``_skip_if_exists`` patterns."""
        return tuple(self._worker.template.skip_if_exists)

    @property
    def data(self) -> Mapping[str, Any]:
        """The answers the run was given (an update's old-version copy holds every previous answer)."""
        return self._worker.data  # type: ignore[no-any-return]

    def add_data(self, answers: Mapping[str, Any]) -> None:
        """Add answers before the run, as if given with the others: copier asks nothing it has data for."""
        self._worker.data.update(answers)

    @property
    def answers(self) -> Mapping[str, Any]:
        """Every answer after the questions: given, typed, previous or default."""
        return self._worker.answers.combined  # type: ignore[no-any-return]

    @property
    def hidden(self) -> frozenset[str]:
        """The questions that do not apply (their ``when`` is false): not asked, not recorded."""
        return frozenset(self._worker.answers.hidden)

    @property
    def previous(self) -> Mapping[str, Any]:
        """An update's previous answers that are still valid (empty for a copy)."""
        return self._worker.answers.last  # type: ignore[no-any-return]

    def copy(self) -> None:
        """Ask the questions and render into the destination."""
        self._worker.run_copy()

    def update(self) -> None:
        """Copier's three-way update of the destination project."""
        self._worker.run_update()

    def cleanup(self) -> None:
        """Remove what copier made on the side (its clones of git sources)."""
        self._worker._cleanup()
