"""aiscaffold's own repository files: CI workflow schema, pre-commit config, CI script, README commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from support import REPO_ROOT

BIN = Path(sys.executable).parent


def test_ci_workflow_matches_the_github_schema() -> None:
    completed = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", ".github/workflows/ci.yml"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_precommit_hooks_are_local() -> None:
    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]


def readme_commands() -> list[str]:
    """The commands of the README's bash blocks, in order."""
    blocks = re.findall(r"```bash\n(.*?)```", (REPO_ROOT / "README.md").read_text(), flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_two_quickstart_commands() -> None:
    install, test = readme_commands()[:2]
    assert install.startswith("python3 -m venv ~/.aiscaffold && ~/.aiscaffold/bin/pip install . && ")
    assert " new api-service ~/churn-api " in install  # outside the checkout
    assert test == "pip install uv && uv run pytest -n 2"


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in script
