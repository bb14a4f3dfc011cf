"""The two questions copier cannot ask itself: which template, and where to put the project.

Everything else is asked by copier from copier.yml. ``unsafe_ask`` lets Ctrl-C raise ``KeyboardInterrupt``
instead of returning None, so the CLI can cancel cleanly.
"""

from __future__ import annotations

from collections.abc import Iterable

import questionary

from aiscaffold.catalog import Template
from aiscaffold.destination import check_destination
from aiscaffold.errors import UserError


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
            return error.message
        return True

    answer: str = questionary.text(
        "Where should the project go?", default=default, validate=validate
    ).unsafe_ask()
    return answer
