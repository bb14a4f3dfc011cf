"""The slow layer's rows: every Python a template offers, every value of every factor that changes code."""

from __future__ import annotations

import pytest
from matrix import RENDER_ONLY_FACTORS, TEMPLATES, factors, slow_combinations


@pytest.mark.parametrize("template", TEMPLATES)
def test_the_slow_layer_runs_every_offered_python_and_every_value_of_every_factor(template: str) -> None:
    rows = [row for row in slow_combinations() if row.template == template]
    offered = factors(template)

    run = {(key, value) for row in rows for key, value in row.answers}
    for name, values in offered.items():
        if name not in RENDER_ONLY_FACTORS:
            assert {(name, value) for value in values} <= run, name
    assert {row.data["python_version"] for row in rows} == {"3.11", "3.12", "3.13"}
    assert rows[0].index == 0  # the defaults, what `--defaults` users get
