"""Template lifecycle with the real templates: generate at v1, edit, release v2, plain `copier update`.

The repository's files are copied into a throwaway git repository tagged like a release, so the test
never depends on the checkout's own tags or uncommitted state.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from matrix import TEMPLATES
from support import REPO_ROOT, git

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
TEMPLATE_CHANGE = "Template improvement from v99.1.0."
USER_EDIT = "## Team notes\n\nOwned by the churn squad.\n"


def release_repository(destination: Path) -> Path:
    """The template root as a fresh repository tagged v99.0.0 (tracked and new files, as in a clone)."""
    listed = git("ls-files", "-co", "--exclude-standard", "--", "copier.yml", "templates", cwd=REPO_ROOT)
    for relative in listed.splitlines():
        source = REPO_ROOT / relative
        if source.is_file():
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            (destination / relative).write_bytes(source.read_bytes())
    git("init", "-q", "-b", "main", cwd=destination)
    git("add", "-A", cwd=destination)
    git("commit", "-qm", "release", cwd=destination)
    git("tag", "v99.0.0", cwd=destination)
    return destination


def run(argv: list[str | Path], cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"} | {"CI": "true"}
    completed = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"{argv}\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


@pytest.mark.parametrize("template", TEMPLATES)
def test_copier_update_keeps_user_edits_and_tests_pass(template: str, tmp_path: Path) -> None:
    source = release_repository(tmp_path / "templates-repo")
    project = tmp_path / "demo"
    run(
        [
            BIN / "aiscaffold",
            "new",
            template,
            project,
            "--defaults",
            "--source",
            source,
            "--vcs-ref",
            "v99.0.0",
        ],
        tmp_path,
    )
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n" + USER_EDIT)
    git("commit", "-qam", "team notes", cwd=project)

    shared_readme = source / "templates" / "_shared" / "README.md.jinja"
    text = shared_readme.read_text()
    first_heading_end = text.index("\n", text.index("# ")) + 1
    shared_readme.write_text(text[:first_heading_end] + f"\n{TEMPLATE_CHANGE}\n" + text[first_heading_end:])
    git("commit", "-qam", "improve README", cwd=source)
    git("tag", "v99.1.0", cwd=source)

    run([BIN / "copier", "update", "--defaults", "--quiet"], project)
    updated = readme.read_text()
    assert TEMPLATE_CHANGE in updated
    assert USER_EDIT in updated
    markers = subprocess.run(
        ["git", "grep", "-l", "-e", "^<<<<<<< "], cwd=project, capture_output=True, check=False
    )
    assert markers.returncode == 1, f"conflict markers in: {markers.stdout!r}"  # 1: git grep found nothing
    assert not list(project.rglob("*.rej"))
    assert "_commit: v99.1.0" in (project / ".copier-answers.yml").read_text()
    run(["uv", "run", "pytest", "-q", "-p", "no:cacheprovider"], project)
