"""A fourth template joins from the skeleton: scripts/new_template.py on a copy of the repository's templates.

The copy gets a batch template made by the script, exactly as a contributor would run it; the new template
is then rendered over its own pairwise matrix and each row must be lint-clean and formatted, with nothing
left of Jinja, and the catalog, copier.yml and the wiring checks must hold for the copy too. The slow half
(the generated project's own gates: uv sync, ruff, mypy, pytest with coverage) is
tests/generated/test_new_template_gates.py, on the same copy.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from matrix import Combination, factors, pairwise
from rendering import render_combination
from support import REPO_ROOT, copy_with_a_new_template, disagreements
from test_repository import readme_commands
from test_wiring import copies_of_shared_parts

from aiscaffold.catalog import load_catalog
from aiscaffold.sources import TemplateSource

BIN = Path(sys.executable).parent
NEW = "demo-batch"
DESCRIPTION = "Nightly scoring job for the demo team"
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#")  # as in test_render.py


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_with_a_new_template(tmp_path_factory.mktemp("fourth"), NEW, DESCRIPTION)


def test_the_copy_knows_the_new_template_in_every_place(root: Path) -> None:
    assert disagreements(root) == []
    assert f'"{NEW}: {DESCRIPTION}": {NEW}' in (root / "copier.yml").read_text()
    assert copies_of_shared_parts(root / "templates") == []
    # The real tree is untouched.
    assert not (REPO_ROOT / "templates" / NEW).exists()


def test_the_script_refuses_a_taken_name_and_a_kind_without_a_skeleton(root: Path) -> None:
    script = [sys.executable, REPO_ROOT / "scripts" / "new_template.py", "--description", "x", "--root", root]
    for extra, message in (([NEW], "already exists"), (["web-app", "--kind", "server"], "no skeleton")):
        completed = subprocess.run([*script, *extra], capture_output=True, text=True, check=False)
        assert completed.returncode != 0
        assert message in completed.stderr


def test_every_row_of_the_new_template_renders_clean(root: Path, tmp_path: Path) -> None:
    rows = pairwise(factors(NEW, root))
    assert len(rows) > 1
    source = TemplateSource(location=str(root), vcs_ref="HEAD")
    for index, row in enumerate(rows):
        rendered = render_combination(Combination(NEW, index, tuple(row.items())), tmp_path / str(index), source)
        assert rendered.answers["description"] == DESCRIPTION
        assert (rendered.root / "Dockerfile").is_file() == row["include_docker"]
        assert not (rendered.root / "deploy").exists()  # a batch job has no Kubernetes manifests
        for relative in rendered.files:
            text = (rendered.root / relative).read_text(encoding="utf-8", errors="replace")
            assert not JINJA_LEFTOVER.search(text), relative
        for argv in (["format", "--check", "--diff", "."], ["check", "--no-cache", "."]):
            completed = subprocess.run(
                [BIN / "ruff", *argv], cwd=rendered.root, capture_output=True, text=True, check=False
            )
            assert completed.returncode == 0, f"row {index}, ruff {argv[0]}: {completed.stdout}{completed.stderr}"


def test_the_readme_command_adds_the_template_it_names(tmp_path: Path) -> None:
    [command] = [line for line in readme_commands() if "scripts/new_template.py" in line]
    argv = shlex.split(command)
    assert argv[:4] == ["uv", "run", "python", "scripts/new_template.py"]
    root = tmp_path / "aiscaffold"
    shutil.copytree(REPO_ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO_ROOT / "copier.yml", root / "copier.yml")

    script = [sys.executable, REPO_ROOT / argv[3], *argv[4:], "--root", root]
    completed = subprocess.run(script, capture_output=True, text=True, check=False)

    assert completed.returncode == 0, completed.stderr
    assert (root / "templates" / argv[4] / "pyproject.toml.jinja").is_file()
    assert argv[4] in load_catalog(root)
    assert disagreements(root) == []
