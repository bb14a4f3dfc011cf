"""Helpers shared by aiscaffold's tests (importable as ``support`` thanks to pytest's pythonpath)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
from click.testing import Result

from aiscaffold.catalog import bundled_catalog, load_catalog
from aiscaffold.questions import question_specs

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


def disagreements(root: Path = REPO_ROOT) -> list[str]:
    """Each way copier.yml and the template folders say something other than the root's catalog."""
    catalog, questions = load_catalog(root), question_specs(root)
    found = []
    folders = {path.name for path in (root / "templates").iterdir() if path.is_dir() and path.name[0] != "_"}
    if folders != set(catalog):
        found.append(f"template folders {sorted(folders)} but catalog {sorted(catalog)}")
    choices = questions["template"]["choices"]
    expected = {f"{template.name}: {template.description}": template.name for template in catalog.values()}
    if choices != expected:
        found.append(f"copier.yml template choices {choices} but the catalog says {expected}")
    for template in catalog.values():
        default = _render(questions["description"]["default"], template=template.name)
        if default != template.description:
            found.append(f"{template.name}: copier.yml description default {default!r}")
        asks_auth = _render(questions["auth"]["when"], template=template.name) == "True"
        if asks_auth != template.is_server:
            found.append(f"{template.name}: copier.yml asks `auth` {asks_auth}, but it is a {template.kind}")
    return found


def _render(expression: str, **context: str) -> str:
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(expression).render(**context)


def copy_with_a_new_template(parent: Path, name: str, description: str) -> Path:
    """A git repository with this checkout's copier.yml and templates/, plus ``name`` made from the skeleton
    by scripts/new_template.py, as a contributor runs it. The real tree is never touched."""
    root = parent / "aiscaffold"
    root.mkdir()
    shutil.copy2(REPO_ROOT / "copier.yml", root / "copier.yml")
    shutil.copytree(REPO_ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    script = [sys.executable, REPO_ROOT / "scripts" / "new_template.py", name, "--description", description]
    completed = subprocess.run([*script, "--root", root], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    git("init", "-q", "-b", "main", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", f"add the {name} template", cwd=root)
    return root


def outcome(result: Result) -> tuple[int, str]:
    """Exit code and output of a `CliRunner` run. An exception the CLI did not turn into an exit code is
    raised here: `CliRunner` keeps tracebacks out of `output`, where a crash looked like exit code 1."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output
