"""The one prompt_toolkit name aiscaffold replaces: wrapping validation messages depends on it."""

from __future__ import annotations

import importlib

from prompt_toolkit.widgets import toolbars

from aiscaffold import prompts


def test_prompt_sessions_take_their_validation_toolbar_from_a_module_name_we_can_replace() -> None:
    names = vars(importlib.import_module("prompt_toolkit.shortcuts.prompt"))
    original = names["ValidationToolbar"]
    try:
        assert original in {toolbars.ValidationToolbar, prompts._WrappingValidationToolbar}
        prompts.wrap_long_messages()
        prompts.wrap_long_messages()  # idempotent
        assert names["ValidationToolbar"] is prompts._WrappingValidationToolbar
        window = names["ValidationToolbar"]().container.content
        assert window.wrap_lines()
        assert window.height is None  # as many rows as the message needs
    finally:
        names["ValidationToolbar"] = original
