"""Helpers shared by aiscaffold's tests (importable as ``support`` thanks to pytest's pythonpath)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from aiscaffold.catalog import bundled_catalog

REPO_ROOT = Path(__file__).resolve().parents[1]

# The real template names are valid answers (only api-service has a folder): tests ask for another kind.
THROWAWAY_COPIER_YML = f"""\
_subdirectory: "templates/{{{{ template }}}}"
_templates_suffix: .jinja
_envops:
  undefined: jinja2.StrictUndefined
  keep_trailing_newline: true
template:
  type: str
  choices: [{", ".join(bundled_catalog())}]
  default: api-service
project_name:
  type: str
  default: "{{{{ _copier_conf.dst_path | basename }}}}"
  validator: "{{% if not project_name | regex_search('^[a-z][a-z0-9-]*$') %}}must be kebab-case{{% endif %}}"
greeting:
  type: str
  default: hello
"""


def git(*args: str, cwd: Path) -> str:
    """Run git with a fixed identity and return its stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and mode, to prove nothing changed."""
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): (
            path.read_bytes() if path.is_file() else b"<dir>",
            path.stat().st_mode,
        )
        for path in sorted(folder.rglob("*"))
    }


def leftovers(parent: Path) -> list[Path]:
    """Staging folders aiscaffold failed to remove."""
    return [path for path in parent.iterdir() if ".aiscaffold-" in path.name]
