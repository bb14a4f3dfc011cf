"""Rendering a row of the matrix without installing it, for the fast template tests."""

from __future__ import annotations

from pathlib import Path

from matrix import Combination

from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import parse_template
from aiscaffold.destination import rendered_files
from aiscaffold.generator import RenderRequest, render
from aiscaffold.sources import resolve_source


class Rendered:
    """A rendered project with the answers it was rendered with."""

    def __init__(self, combination: Combination, root: Path, answers: dict[str, object]) -> None:
        self.combination = combination
        self.root = root
        self.answers = answers
        self.files = [str(path) for path in rendered_files(root)]


def render_combination(combination: Combination, target: Path) -> Rendered:
    """Render ``combination`` with the bundled templates into ``target``."""
    result = render(
        RenderRequest(
            template=parse_template(combination.template),
            source=resolve_source(None, None),
            target=target,
            answers=AnswerPolicy(combination.data, accept_defaults=True, interactive=False),
        )
    )
    return Rendered(combination, target, dict(result.answers))
