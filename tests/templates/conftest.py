"""The render matrix as fixtures: each row rendered at most once per session (per xdist worker)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from matrix import Combination, all_combinations
from rendering import Rendered, render_combination

from aiscaffold.catalog import parse_template

Render = Callable[[Combination], Rendered]


@pytest.fixture(scope="session")
def render_once(tmp_path_factory: pytest.TempPathFactory) -> Render:
    """Render a row of the matrix, or return the copy this session already rendered."""
    done: dict[str, Rendered] = {}

    def render(combination: Combination) -> Rendered:
        if combination.id not in done:
            target = tmp_path_factory.mktemp(combination.id) / "project"
            done[combination.id] = render_combination(combination, target)
        return done[combination.id]

    return render


@pytest.fixture(params=all_combinations(), ids=lambda combination: combination.id)
def rendered(request: pytest.FixtureRequest, render_once: Render) -> Rendered:
    """Each row of the matrix, rendered without installing."""
    return render_once(request.param)


def with_kubernetes() -> list[Combination]:
    """The rows whose project has Kubernetes manifests: servers with a Docker image."""
    return [
        combination
        for combination in all_combinations()
        if parse_template(combination.template).is_server and combination.data["include_docker"]
    ]


@pytest.fixture(params=with_kubernetes(), ids=lambda combination: combination.id)
def rendered_with_kubernetes(request: pytest.FixtureRequest, render_once: Render) -> Rendered:
    """Each row of the matrix that has deploy/k8s, rendered without installing."""
    return render_once(request.param)
