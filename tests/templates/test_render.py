"""Fast layer: render every template over the pairwise matrix and check what was rendered, without installing.

The rendered file list of each combination is committed under tests/templates/snapshots/, so every template
change shows in review. Update them with:

    AISCAFFOLD_UPDATE_SNAPSHOTS=1 uv run pytest tests/templates
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

import jinja2
import pytest
from rendering import Rendered
from support import REPO_ROOT

from aiscaffold.catalog import TemplateKind
from aiscaffold.generator import RenderRequest, render
from aiscaffold.sources import resolve_source

BIN = Path(sys.executable).parent
SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("AISCAFFOLD_UPDATE_SNAPSHOTS") == "1"
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#")

# (file, predicate on the answers): present exactly when the predicate holds.
OPTIONAL_FILES = [
    ("Dockerfile", lambda a: a["include_docker"]),
    (".dockerignore", lambda a: a["include_docker"]),
    (".github/workflows/ci.yml", lambda a: a["ci_provider"] == "github"),
    (".github/dependabot.yml", lambda a: a["ci_provider"] == "github"),
    (".gitlab-ci.yml", lambda a: a["ci_provider"] == "gitlab"),
    (".pre-commit-config.yaml", lambda a: a["use_precommit"]),
    # Kubernetes manifests run the image, so only servers with a Dockerfile have them (tests/templates/test_k8s.py).
    ("deploy/k8s/kustomization.yaml", lambda a: a["include_docker"] and a["template"] != "nlp-pipeline"),
    ("tests/test_k8s.py", lambda a: a["include_docker"] and a["template"] != "nlp-pipeline"),
]
ALWAYS = ["pyproject.toml", "README.md", ".copier-answers.yml", ".gitignore", ".gitattributes", "CHANGELOG.md",
          "AGENTS.md", "Makefile", ".env.example"]  # fmt: skip


def test_no_jinja_left_in_names_or_contents(rendered: Rendered) -> None:
    for relative in rendered.files:
        assert ".jinja" not in relative and "{{" not in relative and "{%" not in relative, relative
        text = (rendered.root / relative).read_bytes().decode("utf-8", errors="replace")
        assert not JINJA_LEFTOVER.search(text), f"{relative}: {JINJA_LEFTOVER.search(text)}"


def test_optional_files_follow_their_options(rendered: Rendered) -> None:
    for relative, wanted in OPTIONAL_FILES:
        assert ((rendered.root / relative).is_file()) == bool(wanted(rendered.answers)), relative
    for relative in ALWAYS:
        assert (rendered.root / relative).is_file(), relative


def test_no_empty_files(rendered: Rendered) -> None:
    empty = [relative for relative in rendered.files if (rendered.root / relative).stat().st_size == 0]
    allowed = {relative for relative in empty if relative.endswith(("__init__.py", "py.typed"))}
    assert set(empty) == allowed


def test_file_list_matches_the_snapshot(rendered: Rendered) -> None:
    snapshot = SNAPSHOTS / f"{rendered.combination.id}.txt"
    listing = "\n".join(rendered.files) + "\n"
    if UPDATE:
        snapshot.write_text(listing)
    assert snapshot.is_file(), "no snapshot: run AISCAFFOLD_UPDATE_SNAPSHOTS=1 uv run pytest tests/templates"
    assert snapshot.read_text() == listing, "rendered files changed: update the snapshots if intended"


def test_rendered_python_is_already_formatted(rendered: Rendered) -> None:
    completed = subprocess.run(
        [BIN / "ruff", "format", "--check", "--diff", "."], cwd=rendered.root, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_rendered_ci_and_container_files_are_valid(rendered: Rendered) -> None:
    checks: list[list[str | Path]] = []
    if rendered.answers["include_docker"]:
        checks.append([BIN / "hadolint", "Dockerfile"])
    schemas = {
        "docker-compose.yml": "vendor.compose-spec",
        ".github/workflows/ci.yml": "vendor.github-workflows",
        ".github/dependabot.yml": "vendor.dependabot",
        ".gitlab-ci.yml": "vendor.gitlab-ci",
    }
    present = [(path, schema) for path, schema in schemas.items() if (rendered.root / path).is_file()]
    checks += [[BIN / "check-jsonschema", "--builtin-schema", schema, path] for path, schema in present]
    for argv in checks:
        completed = subprocess.run(argv, cwd=rendered.root, capture_output=True, text=True, check=False)
        assert completed.returncode == 0, f"{argv}: {completed.stdout}{completed.stderr}"


def test_python_version_reaches_pyproject(rendered: Rendered) -> None:
    project = tomllib.loads((rendered.root / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={rendered.answers['python_version']}"
    assert project["name"] == rendered.answers["project_slug"]


@cache
def _dependency_modules() -> set[str]:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPO_ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )
    module = environment.get_template("templates/_shared/names.jinja").module
    return set(module.dependency_modules)  # type: ignore[attr-defined]


def test_every_dependency_is_a_reserved_package_name(rendered: Rendered) -> None:
    pyproject = tomllib.loads((rendered.root / "pyproject.toml").read_text())
    requirements = list(pyproject["project"].get("dependencies", []))
    for group in pyproject.get("dependency-groups", {}).values():
        requirements += [item for item in group if isinstance(item, str)]
    names = {re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("-", "_") for requirement in requirements}
    assert names <= _dependency_modules(), f"add to dependency_modules: {sorted(names - _dependency_modules())}"


LONGEST_NAME = "a-very-long-service-name-abcd"  # the slug validator's longest allowed name, minus one


@pytest.mark.parametrize("template", ["api-service", "nlp-pipeline", "rag-app"])
def test_longest_names_keep_the_project_formatted_and_lint_clean(template: str, tmp_path: Path) -> None:
    package = LONGEST_NAME.replace("-", "_") + "x"
    render(
        RenderRequest(
            template=TemplateKind(template),
            source=resolve_source(None, None),
            target=tmp_path / "p",
            data={"project_slug": LONGEST_NAME + "x", "package_name": package},
            accept_defaults=True,
            interactive=False,
        )
    )
    for argv in (["format", "--check", "--diff", "."], ["check", "."]):
        completed = subprocess.run([BIN / "ruff", *argv], cwd=tmp_path / "p", capture_output=True, text=True, check=False)
        assert completed.returncode == 0, completed.stdout + completed.stderr
