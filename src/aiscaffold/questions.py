"""The template root's ``copier.yml`` read in one place: copier's settings, and the questions a template
asks (from ``copier.yml`` and the question files it includes). ``aiscaffold list TEMPLATE`` shows the
questions, so nobody has to read YAML to learn the ``--data`` keys; the update check reads the settings;
the tests build their option matrix from the same functions.

Copier decides whether to ask a question by rendering its ``when``. Here only the template is known, so a
``when`` about the template alone is decided (the question is listed or not), and one about other answers
is shown as the condition under which it is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from aiscaffold.catalog import Template

_ROOT_FILE = "copier.yml"


@dataclass(frozen=True)
class Question:
    """One question, as a person answering it with ``--data KEY=VALUE`` needs to know it.

    Attributes:
        name: The answer's key.
        help: What copier prints when it asks.
        type: copier's type: ``str``, ``bool``, ``int``, ...
        choices: The allowed values, each with its label ("" when the label is the value).
        default: The default as written; None when the question has none.
        derived: The default is computed from earlier answers (a Jinja expression), not a constant.
        condition: "" when every project of the template is asked; else copier's ``when``, as written.
    """

    name: str
    help: str
    type: str
    choices: tuple[tuple[str, str], ...]
    default: Any
    derived: bool
    condition: str


def questions_of(template: Template, root: Path) -> list[Question]:
    """The questions ``template`` asks, in the order copier asks them, from the template root at ``root``."""
    asked = []
    for name, spec in question_specs(root).items():
        if name == "template":  # the TEMPLATE argument itself
            continue
        condition = condition_for(spec.get("when", True), template.name)
        if condition is None:
            continue
        default = spec.get("default")
        asked.append(
            Question(
                name=name,
                help=" ".join(str(spec.get("help", "")).split()),
                type=str(spec.get("type", "str")),
                choices=_choices(spec.get("choices")),
                default=default,
                derived=isinstance(default, str) and ("{{" in default or "{%" in default),
                condition=condition,
            )
        )
    return asked


def copier_settings(root: Path) -> dict[str, Any]:
    """copier's own settings in the root's ``copier.yml`` (the keys starting with "_", such as
    ``_skip_if_exists``)."""
    return {name: value for name, value in _documents(root).items() if name.startswith("_")}


def question_specs(root: Path) -> dict[str, dict[str, Any]]:
    """Every question of every template, as written (a mapping per question), in the order copier asks."""
    return {
        name: spec for name, spec in _documents(root).items() if isinstance(spec, dict) and name[0] != "_"
    }


def _documents(root: Path) -> dict[str, Any]:
    # copier.yml is several YAML documents: copier's settings and the common questions first, then one
    # `!include` of a template's question file per document.
    merged: dict[str, Any] = {}
    for document in (root / _ROOT_FILE).read_text(encoding="utf-8").split("\n---\n"):
        text = document.strip()
        if text.startswith("!include"):
            text = (root / text.removeprefix("!include").strip()).read_text(encoding="utf-8")
        merged |= yaml.safe_load(text) or {}
    return merged


def condition_for(when: object, template: str) -> str | None:
    """None when the question is never asked for ``template``; "" when always; else the ``when`` to show."""
    if not isinstance(when, str):
        return "" if when else None
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 - not HTML
    try:
        # `and` stops at a false operand: "template == 'x' and features == 'y'" is decided for other templates
        # without the other answer, and needs it (so is shown) for template x.
        rendered = environment.from_string(when).render(template=template)
    except jinja2.UndefinedError:
        return when.strip().removeprefix("{{").removesuffix("}}").strip()
    return "" if rendered.strip().lower() not in {"false", "0", ""} else None


def _choices(choices: object) -> tuple[tuple[str, str], ...]:
    if isinstance(choices, dict):
        return tuple((str(value), str(label)) for label, value in choices.items())
    if isinstance(choices, list):
        return tuple((str(value), "") for value in choices)
    return ()
