"""How the template's questions get their answers: given up front, defaulted, or asked on a terminal.

``AnswerPolicy`` is that choice as one value, the same for ``new`` and ``update``. The answers given up front
come from ``--data KEY=VALUE`` options and ``--answers-file FILE``; both only collect values, and copier's
validators judge them (generator.py), exactly as typed answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aiscaffold.errors import AnswersFileError, InvalidAnswerError


@dataclass(frozen=True)
class AnswerPolicy:
    """Where the answers come from, for ``new`` and ``update`` alike.

    Attributes:
        data: Answers given up front (``--answers-file`` then ``--data``); validated like typed ones.
        accept_defaults: ``--defaults``: take the default of every question not in ``data`` (an update keeps
            the project's previous answers and takes defaults only for new questions).
        interactive: There is a terminal to ask on (and ``--json`` did not ask for a quiet run).
    """

    data: Mapping[str, Any] = field(default_factory=dict)
    accept_defaults: bool = False
    interactive: bool = True

    @property
    def prompts(self) -> bool:
        """Questions are asked on the terminal: an update asks each again, its previous answer the default."""
        return self.interactive and not self.accept_defaults

    @property
    def strict(self) -> bool:
        """No terminal and no ``--defaults``: every question that applies must already have an answer."""
        return not self.interactive and not self.accept_defaults


def parse_data_options(options: Iterable[str]) -> dict[str, str]:
    """Turn ``["k=v", ...]`` into a dict; copier casts each value to its question's type later."""
    answers: dict[str, str] = {}
    for option in options:
        key, separator, value = option.partition("=")
        if not separator or not key.strip():
            raise InvalidAnswerError(
                f"--data {option!r} is not KEY=VALUE", hint="e.g. --data project_name=churn"
            )
        answers[key.strip()] = value
    return answers


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML mapping of answers.

    Keys starting with ``_`` are copier's metadata (``_src_path``, ``_commit``), so a generated project's
    ``.copier-answers.yml`` can be reused as an answers file; they are dropped.
    """
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AnswersFileError(
            f"cannot read answers file {path}: {error.strerror}", hint="check the path"
        ) from error
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        reason = " ".join(str(error).split())
        raise AnswersFileError(
            f"answers file {path} is not valid YAML: {reason}", hint="it must be a YAML mapping of KEY: VALUE"
        ) from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not all(isinstance(key, str) for key in loaded):
        raise AnswersFileError(
            f"answers file {path} is not a mapping of answers", hint="write it as KEY: VALUE lines"
        )
    return {key: value for key, value in loaded.items() if not key.startswith("_")}
