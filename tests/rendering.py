"""Rendering a row of the matrix without installing it, for the fast template tests."""

from __future__ import annotations

from pathlib import Path

from matrix import Combination

from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import catalog_for, parse_template
from aiscaffold.destination import rendered_files
from aiscaffold.generator import RenderRequest, render
from aiscaffold.sources import TemplateSource, resolve_source


class Rendered:
    """A rendered project with the answers it was rendered with."""

    def __init__(self, combination: Combination, root: Path, answers: dict[str, object]) -> None:
        self.combination = combination
        self.root = root
        self.answers = answers
        self.files = [str(path) for path in rendered_files(root)]


def render_combination(
    combination: Combination, target: Path, source: TemplateSource | None = None
) -> Rendered:
    """Render ``combination`` into ``target`` with the bundled templates, or those of ``source``."""
    source = source or resolve_source(None, None)
    result = render(
        RenderRequest(
            template=parse_template(combination.template, catalog_for(source.location)),
            source=source,
            target=target,
            answers=AnswerPolicy(combination.data, accept_defaults=True, interactive=False),
        )
    )
    return Rendered(combination, target, dict(result.answers))
