"""Fixtures shared by aiscaffold's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings
from support import THROWAWAY_COPIER_YML, git

# No per-example deadline: the suite shares 2 cores with parallel workers and container builds, so a
# deadline measured the machine's load (a 3 ms example once took 348 ms), not the code under test.
settings.register_profile("aiscaffold", deadline=None)
settings.load_profile("aiscaffold")


@pytest.fixture
def throwaway_template(tmp_path: Path) -> Callable[..., Path]:
    """Build a 3-file aiscaffold-shaped template root as a git repository tagged ``v1.0.0``.

    The factory takes ``readme`` (the README.md.jinja text) and returns the root.
    """

    def build(readme: str = "# {{ project_name }}\n{{ greeting }}\n") -> Path:
        root = tmp_path / "template-root"
        project = root / "templates" / "api-service"
        project.mkdir(parents=True)
        (root / "copier.yml").write_text(THROWAWAY_COPIER_YML)
        (project / "README.md.jinja").write_text(readme)
        (project / "{{ _copier_conf.answers_file }}.jinja").write_text("{{ _copier_answers | to_nice_yaml }}")
        git("init", "-q", "-b", "main", cwd=root)
        git("add", "-A", cwd=root)
        git("commit", "-q", "-m", "template v1", cwd=root)
        git("tag", "v1.0.0", cwd=root)
        return root

    return build


@pytest.fixture
def throwaway_pyproject() -> Callable[..., None]:
    """Write a minimal ``pyproject.toml.jinja`` (with these dependencies) into a throwaway template root."""

    def write(root: Path, *, dependencies: list[str]) -> None:
        listed = "".join(f'    "{dependency}",\n' for dependency in dependencies)
        (root / "templates" / "api-service" / "pyproject.toml.jinja").write_text(
            "[project]\n"
            'name = "{{ project_name }}"\n'
            'version = "0.1.0"\n'
            'requires-python = ">=3.11"\n'
            f"dependencies = [\n{listed}]\n"
        )

    return write
