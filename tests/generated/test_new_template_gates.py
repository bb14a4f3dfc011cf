"""Slow layer: a template added from the skeleton passes the generated project's own gates.

tests/templates/test_new_template.py renders it over its matrix; here `aiscaffold new NAME DEST --defaults
--source COPY --verify` generates it from the copy of the templates (a local source brings its own
catalog), locks and syncs it, and runs its gates (uv lock, ruff, mypy --strict, pytest with coverage >= 90 %,
hadolint, the CI schema), as test_generated_gates.py does for the shipped templates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import copy_with_a_new_template

pytestmark = pytest.mark.slow
AISCAFFOLD = Path(sys.executable).with_name("aiscaffold")


def test_a_template_from_the_skeleton_passes_its_own_gates(tmp_path: Path) -> None:
    root = copy_with_a_new_template(tmp_path, "demo-batch", "Nightly scoring job for the demo team")
    project = tmp_path / "project"
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"} | {"CI": "true"}
    command = [AISCAFFOLD, "new", "demo-batch", project, "--defaults", "--source", root, "--verify"]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    report = completed.stdout + completed.stderr
    assert completed.returncode == 0, report
    assert "FAIL" not in report
    for gate in ("ruff check", "mypy --strict", "pytest (coverage >= 90 %)", "hadolint Dockerfile"):
        assert gate in report, gate
