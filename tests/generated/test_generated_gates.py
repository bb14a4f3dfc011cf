"""Slow layer: generate the chosen rows (every offered Python among them) and run their own gates.

`aiscaffold new --verify` runs the gates (aiscaffold.gates, the same module users get), so this also
proves the command users run to see a green project before starting work.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from matrix import Combination, slow_combinations
from support import with_every_python

pytestmark = pytest.mark.slow
AISCAFFOLD = Path(sys.executable).with_name("aiscaffold")


@pytest.mark.parametrize("combination", slow_combinations(), ids=lambda combination: combination.id)
def test_generated_project_passes_its_own_gates(combination: Combination, tmp_path: Path) -> None:
    project = tmp_path / "project"
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"} | {"CI": "true"}
    env = with_every_python(env)  # rows for 3.12 and 3.13 run on those interpreters
    command = [AISCAFFOLD, "new", combination.template, project, "--defaults", *combination.data_options()]
    completed = subprocess.run([*command, "--verify"], env=env, capture_output=True, text=True, check=False)
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    assert "FAIL" not in report
    assert "pytest (coverage >= 90 %)" in report
