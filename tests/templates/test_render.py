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
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from rendering import Rendered
from support import REPO_ROOT

from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import bundled_catalog, parse_template
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
    # The opt-in template updates: a workflow on GitHub (a job in .gitlab-ci.yml on GitLab) and its script.
    (".github/workflows/template-update.yml", lambda a: a["ci_provider"] == "github" and a["template_updates"]),
    ("scripts/template_update.py", lambda a: a["ci_provider"] != "none" and a["template_updates"]),
    (".pre-commit-config.yaml", lambda a: a["use_precommit"]),
    # Kubernetes manifests run the image, so only servers with a Dockerfile have them (tests/templates/test_k8s.py).
    ("deploy/k8s/kustomization.yaml", lambda a: a["include_docker"] and parse_template(a["template"]).is_server),
    ("tests/test_k8s.py", lambda a: a["include_docker"] and parse_template(a["template"]).is_server),
]
ALWAYS = ["pyproject.toml", "README.md", ".copier-answers.yml", ".gitignore", ".gitattributes", "CHANGELOG.md",
          "AGENTS.md", "Makefile", ".env.example", ".python-version"]  # fmt: skip


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


def test_no_file_starts_with_a_blank_line(rendered: Rendered) -> None:
    # A Jinja tag left on the first line renders as an empty one, and a Dockerfile's `# syntax=` directive
    # only counts on the very first line.
    starts_blank = [
        relative
        for relative in rendered.files
        if (rendered.root / relative).read_bytes()[:1] in {b"\n", b"\r"}
    ]
    assert starts_blank == []


def test_every_project_has_the_same_package_files_and_tests_that_mirror_the_package(rendered: Rendered) -> None:
    # A newcomer who knows one generated project knows the others: tests/<x>/ tests src/<package>/<x>/.
    package = rendered.root / "src" / str(rendered.answers["package_name"])
    assert (package / "py.typed").is_file()
    assert (package / "__main__.py").is_file()
    assert (rendered.root / "tests" / "test_main.py").is_file()
    test_folders = [path for path in (rendered.root / "tests").rglob("*") if path.is_dir()]
    assert test_folders, "the tests should mirror the package's subpackages"
    for folder in test_folders:
        relative = folder.relative_to(rendered.root / "tests")
        assert (package / relative / "__init__.py").is_file(), f"tests/{relative}/ mirrors no subpackage"
        assert (folder / "__init__.py").is_file(), f"tests/{relative}/ is not a package"


def test_file_list_matches_the_snapshot(rendered: Rendered) -> None:
    snapshot = SNAPSHOTS / f"{rendered.combination.id}.txt"
    listing = "\n".join(rendered.files) + "\n"
    if UPDATE:
        snapshot.write_text(listing)
    assert snapshot.is_file(), "no snapshot: run AISCAFFOLD_UPDATE_SNAPSHOTS=1 uv run pytest tests/templates"
    assert snapshot.read_text() == listing, "rendered files changed: update the snapshots if intended"


def test_rendered_python_is_already_formatted_and_lint_clean(rendered: Rendered) -> None:
    # Lint runs here too: the slow layer only builds the 3.11 variants, and rules such as UP046 depend on
    # the python_version answer.
    for argv in (["format", "--check", "--diff", "."], ["check", "--no-cache", "."]):
        completed = subprocess.run(
            [BIN / "ruff", *argv], cwd=rendered.root, capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0, f"ruff {argv[0]}: {completed.stdout}{completed.stderr}"


def test_rendered_ci_and_container_files_are_valid(rendered: Rendered) -> None:
    checks: list[list[str | Path]] = []
    if rendered.answers["include_docker"]:
        checks.append([BIN / "hadolint", "Dockerfile"])
    schemas = {
        "docker-compose.yml": "vendor.compose-spec",
        ".github/workflows/ci.yml": "vendor.github-workflows",
        ".github/workflows/template-update.yml": "vendor.github-workflows",
        ".github/workflows/release.yml": "vendor.github-workflows",
        ".github/dependabot.yml": "vendor.dependabot",
        ".gitlab-ci.yml": "vendor.gitlab-ci",
    }
    present = [(path, schema) for path, schema in schemas.items() if (rendered.root / path).is_file()]
    checks += [[BIN / "check-jsonschema", "--builtin-schema", schema, path] for path, schema in present]
    for argv in checks:
        completed = subprocess.run(argv, cwd=rendered.root, capture_output=True, text=True, check=False)
        assert completed.returncode == 0, f"{argv}: {completed.stdout}{completed.stderr}"


def test_rendered_github_workflows_have_no_zizmor_finding_above_low(rendered: Rendered) -> None:
    if not (rendered.root / ".github").is_dir():
        pytest.skip("no GitHub workflows in this combination")
    argv = [BIN / "zizmor", "--offline", "--no-progress", "--min-severity", "medium", "--format", "plain", ".github"]
    completed = subprocess.run(argv, cwd=rendered.root, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_rag_readme_promises_offline_only_when_the_embedder_is_local(rendered: Rendered) -> None:
    if rendered.combination.template != "rag-app":
        pytest.skip("about rag-app's README")
    readme = (rendered.root / "README.md").read_text()
    remote = rendered.answers["embeddings"] == "openai"
    assert ("fully offline out of the box" in readme) is not remote
    if remote:  # the quickstart says what ingest needs first
        quickstart = readme.split("## Quickstart")[1].split("make ingest")[0]
        assert "ollama pull" in quickstart or "EMBEDDING_API_KEY" in quickstart


def _compose(rendered: Rendered) -> dict[str, Any]:
    path = rendered.root / "docker-compose.yml"
    if not path.is_file():
        pytest.skip("no docker-compose.yml in this combination")
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def test_every_compose_service_declares_a_healthcheck(rendered: Rendered) -> None:
    """A server has a probe; only a one-off job may disable it, and then nothing may wait on it or reach it."""
    services = _compose(rendered)["services"]
    needed = {name for service in services.values() for name in service.get("depends_on", {})}
    for name, service in services.items():
        healthcheck = service.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        if healthcheck.get("disable"):
            assert name not in needed and "ports" not in service, f"{name} is a service: it needs a probe"
        else:
            assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_compose_services_built_here_read_the_env_file(rendered: Rendered) -> None:
    """The README says the stack is configured through .env, as `make run` is."""
    built = {name: service for name, service in _compose(rendered)["services"].items() if "build" in service}
    assert built
    for name, service in built.items():
        assert service.get("env_file") == [{"path": ".env", "required": False}], name


def test_compose_services_not_built_here_publish_on_the_loopback_only(rendered: Rendered) -> None:
    """Qdrant, the collector: no authentication of their own, so reachable from this machine, not its network."""
    for name, service in _compose(rendered)["services"].items():
        if "build" not in service:
            for port in service.get("ports", []):
                assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_compose_dependencies_wait_until_healthy(rendered: Rendered) -> None:
    for name, service in _compose(rendered)["services"].items():
        depends_on = service.get("depends_on", {})
        # The short form (a list) only waits for the container to start, not for the service in it.
        assert isinstance(depends_on, dict), f"{name}: depends_on needs the long form with a condition"
        for dependency, how in depends_on.items():
            assert how == {"condition": "service_healthy"}, f"{name} -> {dependency}: {how}"


@contextmanager
def _http_server(status: int) -> Iterator[int]:
    """A local HTTP server answering every GET with ``status``; yields its port."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.server_address[1]
        server.shutdown()


def test_qdrant_probe_passes_on_200_only(tmp_path: Path) -> None:
    """The qdrant image has bash but no curl or wget; its probe speaks HTTP over bash's /dev/tcp."""
    render(
        RenderRequest(
            template=parse_template("rag-app"),
            source=resolve_source(None, None),
            target=tmp_path / "p",
            answers=AnswerPolicy({}, accept_defaults=True, interactive=False),
        )
    )
    compose = yaml.safe_load((tmp_path / "p" / "docker-compose.yml").read_text())
    test = compose["services"]["qdrant"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    for status, healthy in ((200, True), (503, False)):
        with _http_server(status) as port:
            argv = [part.replace("6333", str(port)) for part in test[1:]]
            completed = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
        assert (completed.returncode == 0) is healthy, (status, completed.stderr)


def test_dockerfile_bases_are_pinned_to_the_python_version(rendered: Rendered) -> None:
    if not rendered.answers["include_docker"]:
        pytest.skip("no Dockerfile in this combination")
    bases = re.findall(r"^FROM (\S+)", (rendered.root / "Dockerfile").read_text(), re.MULTILINE)
    assert bases and set(bases) == {f"python:{rendered.answers['python_version']}-slim-bookworm"}, bases


def test_dockerfile_extras_exist_in_pyproject(rendered: Rendered) -> None:
    """`uv sync --extra X` fails the build when the project has no extra X (hadolint cannot know)."""
    if not rendered.answers["include_docker"]:
        pytest.skip("no Dockerfile in this combination")
    extras = set(re.findall(r"--extra[ =](\S+)", (rendered.root / "Dockerfile").read_text()))
    project = tomllib.loads((rendered.root / "pyproject.toml").read_text())["project"]
    assert extras <= set(project.get("optional-dependencies", {})), extras


def test_python_version_reaches_pyproject_and_uv(rendered: Rendered) -> None:
    project = tomllib.loads((rendered.root / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={rendered.answers['python_version']}"
    assert project["name"] == rendered.answers["project_slug"]
    # Without the pin uv picks the newest interpreter it can find or download, not the Docker/CI one.
    assert (rendered.root / ".python-version").read_text() == f"{rendered.answers['python_version']}\n"


def _uv_pins(rendered: Rendered) -> dict[str, list[str]]:
    """Each place that installs uv outside the lock file, with the versions it names."""
    patterns = {
        "Dockerfile": r"^ARG UV_VERSION=(\S+)$",
        ".gitlab-ci.yml": r"pip install .*\"uv==([^\"]+)\"",
        ".github/workflows/ci.yml": r"^\s+version: \"([^\"]+)\"$",
        ".github/workflows/template-update.yml": r"^\s+version: \"([^\"]+)\"$",
    }
    return {
        path: re.findall(pattern, (rendered.root / path).read_text(), re.MULTILINE)
        for path, pattern in patterns.items()
        if (rendered.root / path).is_file()
    }


def test_docker_and_ci_install_one_pinned_uv(rendered: Rendered) -> None:
    pins = _uv_pins(rendered)
    if not pins:
        pytest.skip("neither a Dockerfile nor CI in this combination")
    installs = [
        line
        for path in pins
        for line in (rendered.root / path).read_text().splitlines()
        if "setup-uv@" in line or re.search(r"pip install .*\buv\b", line)
    ]
    versions = [version for found in pins.values() for version in found]
    assert versions and len(set(versions)) == 1, pins
    assert len(versions) == len(installs), f"an unpinned uv install among {installs}"


def test_gitlab_check_job_has_git_for_pre_commit(rendered: Rendered) -> None:
    if rendered.answers["ci_provider"] != "gitlab" or not rendered.answers["use_precommit"]:
        pytest.skip("no GitLab pre-commit job in this combination")
    check = yaml.safe_load((rendered.root / ".gitlab-ci.yml").read_text())["check"]
    assert check["image"].endswith("-slim-bookworm")  # an image without git
    assert any("install" in line and " git" in line for line in check["before_script"]), check[
        "before_script"
    ]


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
    names = {
        re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("-", "_")
        for requirement in requirements
    }
    assert names <= _dependency_modules(), (
        f"add to dependency_modules: {sorted(names - _dependency_modules())}"
    )


LONGEST_NAME = "a-very-long-service-name-abcd"  # the slug validator's longest allowed name, minus one


@pytest.mark.parametrize("template", list(bundled_catalog()))
def test_longest_names_keep_the_project_formatted_and_lint_clean(template: str, tmp_path: Path) -> None:
    package = LONGEST_NAME.replace("-", "_") + "x"
    render(
        RenderRequest(
            template=parse_template(template),
            source=resolve_source(None, None),
            target=tmp_path / "p",
            answers=AnswerPolicy({"project_slug": LONGEST_NAME + "x", "package_name": package, "template_updates": True}, accept_defaults=True, interactive=False),
        )
    )
    for argv in (["format", "--check", "--diff", "."], ["check", "."]):
        completed = subprocess.run(
            [BIN / "ruff", *argv], cwd=tmp_path / "p", capture_output=True, text=True, check=False
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr


UPDATE_SCHEDULE = '$CI_PIPELINE_SOURCE == "schedule" && $AISCAFFOLD_TEMPLATE_UPDATES'


def test_github_template_update_workflow_has_least_privilege(rendered: Rendered) -> None:
    path = rendered.root / ".github/workflows/template-update.yml"
    if not path.is_file():
        pytest.skip("no template-update workflow in this combination")
    workflow = yaml.safe_load(path.read_text())
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}  # YAML 1.1 reads the `on` key as True
    assert workflow["permissions"] == {}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    # Full history for the update's merge; the token is handed to the script, not left in .git/config.
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert job["steps"][-1]["run"].endswith("python scripts/template_update.py")


def test_gitlab_template_update_job_runs_alone_in_its_schedule(rendered: Rendered) -> None:
    if rendered.answers["ci_provider"] != "gitlab":
        pytest.skip("no GitLab CI in this combination")
    pipeline = yaml.safe_load((rendered.root / ".gitlab-ci.yml").read_text())
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    if rendered.answers["include_docker"]:
        # Only tag pipelines release (a schedule has no tag), with or without template updates.
        assert jobs.pop("release")["rules"] == [{"if": "$CI_COMMIT_TAG =~ /^v/ && $IMAGE_REPOSITORY"}]
    if not rendered.answers["template_updates"]:
        assert "template-update" not in jobs
        assert all("rules" not in job for job in jobs.values())
        return
    update = jobs.pop("template-update")
    assert update["rules"] == [{"if": UPDATE_SCHEDULE}]
    assert update["variables"]["GIT_DEPTH"] == "0"
    assert update["script"] == ["python scripts/template_update.py"]
    for name, job in jobs.items():
        # Skipped in the update schedule; otherwise as a job without rules (no merge-request pipelines).
        assert job["rules"] == [
            {"if": UPDATE_SCHEDULE, "when": "never"},
            {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"', "when": "never"},
            {"when": "on_success"},
        ], name
