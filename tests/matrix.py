"""The option combinations aiscaffold tests, derived from the question files themselves.

Every `choices:` value and both answers of every yes/no question of a template form its factors; a greedy
pairwise-covering set of rows (the defaults first) covers every pair of values of any two factors. Adding
a choice to a YAML file adds it to the matrix, and so to the tests.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from support import REPO_ROOT

from aiscaffold.catalog import bundled_catalog
from aiscaffold.questions import condition_for, question_specs

# The names, in templates/catalog.toml order.
TEMPLATES = tuple(bundled_catalog())
# How many rows of each template the slow layer runs (generate, install, all gates) at least: what keeps
# `.ci/run` under 30 minutes on two cores. Three rows (one per Python) already bring every factor value today;
# a value they miss still adds its row. The fast layer renders and lints every row.
SLOW_ROWS_PER_TEMPLATE = 3
# Factors that change no code path worth running (the LICENSE text): left out of the slow layer's choice.
RENDER_ONLY_FACTORS = frozenset({"license"})


@dataclass(frozen=True)
class Combination:
    """One row of the matrix: a template and the answers that differ between rows."""

    template: str
    index: int
    answers: tuple[tuple[str, Any], ...]

    @property
    def id(self) -> str:
        return f"{self.template}-{self.index:02d}"

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.answers)

    def data_options(self) -> list[str]:
        """``--data`` options giving these answers."""
        options = []
        for key, value in self.answers:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            options += ["--data", f"{key}={text}"]
        return options


@cache
def factors(template: str, root: Path = REPO_ROOT) -> dict[str, list[Any]]:
    """Each choice/bool question that applies to ``template``, with its values (default first)."""
    found: dict[str, list[Any]] = {}
    for name, question in question_specs(root).items():
        # Only `template` is known here: a question whose `when` is about other answers counts as asked.
        if name == "template" or condition_for(question.get("when", True), template) is None:
            continue
        if question.get("type") == "bool":
            values: list[Any] = [True, False]
        elif "choices" in question:
            choices = question["choices"]
            values = list(choices.values()) if isinstance(choices, dict) else list(choices)
        else:
            continue
        default = question.get("default")
        found[name] = sorted(values, key=lambda value: value != default)
    return found


def pairwise(levels: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """A small set of rows in which every pair of values of any two factors appears at least once.

    Greedy and deterministic: start a row from the first uncovered pair, then give each other factor the
    value that covers most still-uncovered pairs with the values already in the row.
    """
    # Factors with most values first: the greedy rows come out fewer that way.
    names = sorted(levels, key=lambda name: -len(levels[name]))
    Pair = tuple[int, int, int, int]  # (factor a, value index, factor b, value index) with a < b

    def pair(a: int, value_a: int, b: int, value_b: int) -> Pair:
        return (a, value_a, b, value_b) if a < b else (b, value_b, a, value_a)

    def covered_by(row: dict[int, int]) -> set[Pair]:
        return {pair(a, row[a], b, row[b]) for a, b in itertools.combinations(sorted(row), 2)}

    uncovered = {
        (a, value_a, b, value_b)
        for a, b in itertools.combinations(range(len(names)), 2)
        for value_a in range(len(levels[names[a]]))
        for value_b in range(len(levels[names[b]]))
    }
    rows = [dict.fromkeys(range(len(names)), 0)]
    uncovered -= covered_by(rows[0])
    while uncovered:
        a, value_a, b, value_b = min(uncovered)
        row = {a: value_a, b: value_b}
        for factor in range(len(names)):
            if factor not in row:
                row[factor] = max(
                    range(len(levels[names[factor]])),
                    key=lambda value, f=factor, r=row: (
                        sum(pair(f, value, other, r[other]) in uncovered for other in r),
                        value,  # on a tie not the default, so filler rows stay off the slow layer
                    ),
                )
        rows.append(row)
        uncovered -= covered_by(row)
    return [{name: levels[name][row[names.index(name)]] for name in levels} for row in rows]


@cache
def combinations(template: str) -> tuple[Combination, ...]:
    """The pairwise rows of ``template``."""
    return tuple(
        Combination(template, index, tuple(row.items()))
        for index, row in enumerate(pairwise(factors(template)))
    )


def all_combinations() -> list[Combination]:
    """Every template's rows, for the fast (render) layer."""
    return [combination for template in TEMPLATES for combination in combinations(template)]


def slow_combinations() -> list[Combination]:
    """The rows the slow layer runs: for each template, the first row of every Python version it offers
    (each must pass its gates), then rows that bring a value of some factor not run yet, then the next
    rows, up to ``SLOW_ROWS_PER_TEMPLATE``."""
    chosen: list[Combination] = []
    for template in TEMPLATES:
        rows = combinations(template)
        picked: list[Combination] = []
        for version in factors(template)["python_version"]:
            picked.append(next(row for row in rows if row.data["python_version"] == version))
        for row in rows:
            seen = {(key, value) for done in picked for key, value in done.answers}
            new = {(key, value) for key, value in row.answers if key not in RENDER_ONLY_FACTORS} - seen
            if new and row not in picked:
                picked.append(row)
        picked += [row for row in rows if row not in picked][: max(0, SLOW_ROWS_PER_TEMPLATE - len(picked))]
        chosen += sorted(picked, key=lambda row: row.index)
    return chosen
