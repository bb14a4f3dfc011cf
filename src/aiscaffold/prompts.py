"""The two questions copier cannot ask itself: which template, and where to put the project.

Everything else is asked by copier from copier.yml. ``unsafe_ask`` lets Ctrl-C raise ``KeyboardInterrupt``
instead of returning None, so the CLI can cancel cleanly.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

import questionary
from prompt_toolkit.filters import has_validation_error
from prompt_toolkit.layout import ConditionalContainer, Window
from prompt_toolkit.widgets import toolbars

from aiscaffold.catalog import Template
from aiscaffold.destination import check_destination
from aiscaffold.errors import UserError


def wrap_long_messages() -> None:
    """Make every prompt's validation message wrap at the terminal's edge instead of being cut there.

    prompt_toolkit draws it in a toolbar one row high, so at 80 columns a validator's message lost its end
    ("must be a lowercase ASCII Python i"). Its prompt sessions build that toolbar from the name
    ``ValidationToolbar`` in ``prompt_toolkit.shortcuts.prompt`` when they are created; copier's questions are
    such sessions (through questionary), so replacing the name before they are asked reaches them too.
    ``tests/unit/test_prompts.py`` pins the name; ``tests/cli/test_terminal.py`` shows the message whole.
    """
    # By import_module: the package `prompt_toolkit.shortcuts` exports a function of the module's name.
    names = vars(importlib.import_module("prompt_toolkit.shortcuts.prompt"))
    if names["ValidationToolbar"] is toolbars.ValidationToolbar:
        names["ValidationToolbar"] = _WrappingValidationToolbar


class _WrappingValidationToolbar(toolbars.ValidationToolbar):
    def __init__(self, show_position: bool = False) -> None:
        super().__init__(show_position)
        # No fixed height: as many rows as the wrapped message needs.
        self.container = ConditionalContainer(
            content=Window(self.control, wrap_lines=True), filter=has_validation_error
        )


def ask_template(templates: Iterable[Template]) -> Template:
    """Let the user pick a template from the catalog."""
    # The description shows under the list for the highlighted choice; the answer echoes just the name.
    choices = [
        questionary.Choice(template.name, value=template, description=template.description)
        for template in templates
    ]
    answer: Template = questionary.select("Which template?", choices=choices).unsafe_ask()
    return answer


def ask_destination(default: str, *, force: bool) -> str:
    """Ask for the destination folder, re-asking until it can take a new project."""

    def validate(text: str) -> bool | str:
        try:
            check_destination(text, force=force)
        except UserError as error:
            return f"{error.message}: {error.hint}" if error.hint else error.message
        return True

    wrap_long_messages()
    answer: str = questionary.text(
        "Where should the project go?", default=default, validate=validate
    ).unsafe_ask()
    return answer
