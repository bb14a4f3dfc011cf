"""Helpers shared by aiscaffold's tests (importable as ``support`` thanks to pytest's pythonpath)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

THROWAWAY_COPIER_YML = """\
_subdirectory: "templates/{{ template }}"
_templates_suffix: .jinja
_envops:
  undefined: jinja2.StrictUndefined
  keep_trailing_newline: true
template:
  type: str
  choices: [api-service, nlp-pipeline, rag-app]
  default: api-service
project_name:
  type: str
  default: "{{ _copier_conf.dst_path | basename }}"
  validator: "{% if not project_name | regex_search('^[a-z][a-z0-9-]*$') %}must be kebab-case{% endif %}"
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


def with_every_python(env: dict[str, str]) -> dict[str, str]:
    """``env`` in which pyenv's shims answer for every Python it has installed (`python3.12`, `python3.13`),
    as after `pyenv global 3.11.7 3.12.1 3.13.0`: a project made for each offered version finds its
    interpreter (uv looks on PATH). The current version stays first, so `python3` is unchanged."""
    pyenv = shutil.which("pyenv", path=env.get("PATH"))
    if pyenv is None:
        return env

    def ask(*args: str) -> str:
        return subprocess.run([pyenv, *args], env=env, capture_output=True, text=True, check=False).stdout

    current = ask("version-name").strip()
    others = [version for version in ask("versions", "--bare").split() if version != current]
    return {**env, "PYENV_VERSION": ":".join([current, *others])}
