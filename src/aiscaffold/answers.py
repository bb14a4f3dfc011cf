"""Answers given up front: ``--data KEY=VALUE`` options and ``--answers-file FILE``.

Both only collect values; copier's validators judge them (generator.py), exactly as typed answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from aiscaffold.errors import AnswersFileError, InvalidAnswerError


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
