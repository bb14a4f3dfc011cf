"""aiscaffold as a user gets it: a wheel in a fresh virtual environment, and the README's quickstart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import REPO_ROOT, git
from test_repository import readme_commands

pytestmark = pytest.mark.slow
UV = str(Path(sys.executable).with_name("uv"))


def fresh_venv(path: Path) -> Path:
    """A new virtual environment with pip, outside the repository; returns its bin folder."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path / "bin"


def clean_env(bin_folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["AISCAFFOLD_STORE"] = str(bin_folder.parent.parent / "template-store")
    env["PATH"] = f"{bin_folder}{os.pathsep}{env['PATH']}"
    env["CI"] = "true"
    return env


def version_of(bin_folder: Path) -> str:
    argv = [bin_folder / "aiscaffold", "--version"]
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.split()[-1]


def test_wheel_carries_the_templates_and_generates(tmp_path: Path) -> None:
    subprocess.run([UV, "build", "--wheel", "-q", "-o", str(tmp_path / "dist"), str(REPO_ROOT)], check=True)
    (wheel,) = (tmp_path / "dist").glob("aiscaffold-*.whl")
    bin_folder = fresh_venv(tmp_path / "venv")
    subprocess.run([bin_folder / "pip", "install", "-q", str(wheel)], check=True)
    work = tmp_path / "work"
    work.mkdir()
    new = [
        bin_folder / "aiscaffold",
        "new",
        "api-service",
        "churn-api",
        "--defaults",
        "--no-install",
        "--no-git",
    ]
    subprocess.run(new, cwd=work, env=clean_env(bin_folder), check=True, capture_output=True)
    answers = yaml.safe_load((work / "churn-api" / ".copier-answers.yml").read_text())
    # The wheel's templates went through the versioned local store, so copier can update from them later.
    store = tmp_path / "template-store"
    assert answers["_src_path"] == str(store)
    assert answers["_commit"] == f"v{version_of(bin_folder)}"
    assert (store / "copier.yml").is_file()
    assert (store / "templates" / "_shared" / "names.jinja").is_file()


def _copy_checkout(destination: Path) -> None:
    """The repository's files as a fresh clone would have them (tracked and new, minus ignored ones)."""
    listed = git("ls-files", "-co", "--exclude-standard", cwd=REPO_ROOT).splitlines()
    for relative in listed:
        source = REPO_ROOT / relative
        if source.is_file():
            (destination / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / relative)


def test_readme_quickstart_generates_a_project_of_its_own_beside_the_checkout(tmp_path: Path) -> None:
    checkout = tmp_path / "aiscaffold"
    _copy_checkout(checkout)
    git("init", "-q", cwd=checkout)  # a clone is a repository: the project must not land inside it
    home = tmp_path / "home"
    home.mkdir()
    # The machine's own Python first on PATH, as a newcomer has it (Debian's refuses `pip install` outside a
    # virtual environment), and none of ours: no venv, no pyenv.
    system_bin = "/usr/bin" if Path("/usr/bin/python3").is_file() else str(Path(sys.base_prefix) / "bin")
    # The rest of the environment stays: the machine's certificates and proxy settings are a newcomer's too.
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env |= {"PATH": os.pathsep.join([system_bin, "/usr/bin", "/bin"]), "HOME": str(home), "CI": "true",
            "AISCAFFOLD_STORE": str(tmp_path / "template-store")}  # fmt: skip
    quickstart = ["bash", "-c", readme_commands()[0]]
    completed = subprocess.run(quickstart, cwd=checkout, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    project = home / "churn-api"
    assert (project / ".copier-answers.yml").is_file()
    assert git("rev-parse", "--show-toplevel", cwd=project) == str(project.resolve())
    assert git("log", "--oneline", cwd=project)
    assert (home / ".aiscaffold" / "bin" / "aiscaffold").is_file()
    assert not (checkout / "churn-api").exists()


def _build_wheel(checkout: Path, version: str, out: Path) -> Path:
    (checkout / "src" / "aiscaffold" / "__init__.py").write_text(
        f'"""aiscaffold."""\n\n__version__ = "{version}"\n'
    )
    subprocess.run([UV, "build", "--wheel", "-q", "-o", str(out), str(checkout)], check=True)
    (wheel,) = out.glob(f"aiscaffold-{version}-*.whl")
    return wheel


def test_installed_package_update_brings_the_next_versions_template_change(tmp_path: Path) -> None:
    checkout = tmp_path / "aiscaffold"
    _copy_checkout(checkout)
    first = _build_wheel(checkout, "0.1.0", tmp_path / "dist1")
    (checkout / "templates" / "api-service" / "UPGRADE.md").write_text("Added by version 0.2.0.\n")
    second = _build_wheel(checkout, "0.2.0", tmp_path / "dist2")
    bin_folder = fresh_venv(tmp_path / "venv")
    env = clean_env(bin_folder)
    subprocess.run([bin_folder / "pip", "install", "-q", str(first)], check=True)
    project = tmp_path / "churn-api"
    new = [bin_folder / "aiscaffold", "new", "api-service", str(project), "--defaults", "--no-install"]
    subprocess.run(new, env=env, check=True, capture_output=True)
    assert not (project / "UPGRADE.md").exists()
    subprocess.run([bin_folder / "pip", "install", "-q", str(second)], check=True)
    update = [bin_folder / "aiscaffold", "update", str(project), "--defaults"]
    completed = subprocess.run(update, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (project / "UPGRADE.md").read_text() == "Added by version 0.2.0.\n"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"


def test_reinstalling_the_same_version_with_changed_templates_renders_the_new_ones(tmp_path: Path) -> None:
    # `git pull && pip install .` between releases: the version number stays, the templates change.
    checkout = tmp_path / "aiscaffold"
    _copy_checkout(checkout)
    first = _build_wheel(checkout, "0.1.0", tmp_path / "dist1")
    (checkout / "templates" / "api-service" / "UPGRADE.md").write_text("Changed without a version bump.\n")
    second = _build_wheel(checkout, "0.1.0", tmp_path / "dist2")
    bin_folder = fresh_venv(tmp_path / "venv")
    env = clean_env(bin_folder)
    subprocess.run([bin_folder / "pip", "install", "-q", str(first)], check=True)
    old = tmp_path / "old-api"
    new = [bin_folder / "aiscaffold", "new", "api-service"]
    subprocess.run([*new, str(old), "--defaults", "--no-install"], env=env, check=True, capture_output=True)
    subprocess.run(
        [bin_folder / "pip", "install", "-q", "--force-reinstall", "--no-deps", str(second)], check=True
    )

    fresh = tmp_path / "fresh-api"
    subprocess.run([*new, str(fresh), "--defaults", "--no-install"], env=env, check=True, capture_output=True)
    assert (fresh / "UPGRADE.md").is_file()
    assert yaml.safe_load((fresh / ".copier-answers.yml").read_text())["_commit"] == "v0.1.0+1"

    check = [bin_folder / "aiscaffold", "check", str(old)]
    pending = subprocess.run(check, env=env, capture_output=True, text=True, check=False)
    assert pending.returncode == 3, pending.stdout + pending.stderr  # an update is pending
    assert "v0.1.0 -> v0.1.0+1" in pending.stdout
    update = [bin_folder / "aiscaffold", "update", str(old), "--defaults"]
    completed = subprocess.run(update, env=env, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (old / "UPGRADE.md").is_file()
    assert subprocess.run(check, env=env, capture_output=True, check=False).returncode == 0
    assert "Updated from v0.1.0 to v0.1.0+1" in completed.stdout


def _machine(tmp_path: Path, name: str, wheel: Path) -> dict[str, str]:
    """A machine of its own: a fresh HOME (so an empty template store) with ``wheel`` installed."""
    bin_folder = fresh_venv(tmp_path / f"venv-{name}")
    subprocess.run([bin_folder / "pip", "install", "-q", str(wheel)], check=True)
    env = clean_env(bin_folder)
    del env["AISCAFFOLD_STORE"]
    env.pop("XDG_DATA_HOME", None)
    env["HOME"] = str(tmp_path / f"home-{name}")
    return env


def test_another_machine_updates_a_project_it_never_saw(tmp_path: Path) -> None:
    # Machine A generates with 0.1.0; machine B has only 0.2.0 (a README line and a new dependency) and an
    # empty store. The project, cloned over, carries its own merge base.
    checkout = tmp_path / "aiscaffold"
    _copy_checkout(checkout)
    first = _build_wheel(checkout, "0.1.0", tmp_path / "dist1")
    readme = checkout / "templates" / "_shared" / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nUpdated by aiscaffold 0.2.0.\n")
    pyproject = checkout / "templates" / "_shared" / "pyproject.toml.jinja"
    pyproject.write_text(
        pyproject.read_text().replace('"typer>=0.15",\n', '"typer>=0.15",\n    "iniconfig>=2",\n')
    )
    second = _build_wheel(checkout, "0.2.0", tmp_path / "dist2")

    machine_a = _machine(tmp_path, "a", first)
    project_a = tmp_path / "a" / "churn-api"
    project_a.parent.mkdir()
    new = ["aiscaffold", "new", "api-service", str(project_a), "--defaults", "--no-install"]
    subprocess.run(new, env=machine_a, check=True, capture_output=True)
    subprocess.run([UV, "lock", "-q"], cwd=project_a, check=True)
    (project_a / "README.md").write_text(
        "Our team's own first line.\n" + (project_a / "README.md").read_text()
    )
    git("add", "-A", cwd=project_a)
    git("commit", "-qm", "lock, and a README of our own", cwd=project_a)

    machine_b = _machine(tmp_path, "b", second)
    project_b = tmp_path / "b" / "churn-api"
    git("clone", "-q", str(project_a), str(project_b), cwd=tmp_path)
    update = ["aiscaffold", "update", str(project_b), "--defaults", "--verify"]
    completed = subprocess.run(update, env=machine_b, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Updated from v0.1.0 to v0.2.0" in completed.stdout
    assert "pytest" in completed.stdout and "FAIL" not in completed.stdout  # the gate table

    readme_b = (project_b / "README.md").read_text()
    assert readme_b.startswith("Our team's own first line.\n")
    assert "Updated by aiscaffold 0.2.0." in readme_b
    assert '"iniconfig>=2"' in (project_b / "pyproject.toml").read_text()
    locked = subprocess.run(
        [UV, "lock", "--check"], cwd=project_b, capture_output=True, text=True, check=False
    )
    assert locked.returncode == 0, locked.stderr
    git("commit", "-q", "--no-edit", cwd=project_b)  # completes the merge
    check = subprocess.run(["aiscaffold", "check", str(project_b)], env=machine_b, check=False)
    assert check.returncode == 0


def test_a_migration_moves_the_users_edited_file_once(tmp_path: Path) -> None:
    # 0.2.0.dev0 moved rag-app's tests/test_api.py to tests/api/test_routes.py, and 0.2.0.dev2 moved
    # tests/test_cache.py to tests/llm/test_cache.py. The user's own tests, added to the old files, must
    # follow them to the new paths (across both migrations in one update), and the migrations run once.
    checkout = tmp_path / "aiscaffold"
    _copy_checkout(checkout)
    tests = checkout / "templates" / "rag-app" / "tests"
    (tests / "api" / "test_routes.py.jinja").rename(tests / "test_api.py.jinja")
    (tests / "llm" / "test_cache.py.jinja").rename(tests / "test_cache.py.jinja")
    first = _build_wheel(checkout, "0.1.0", tmp_path / "dist1")
    second = tmp_path / "dist2"
    subprocess.run([UV, "build", "--wheel", "-q", "-o", str(second), str(REPO_ROOT)], check=True)
    (second_wheel,) = second.glob("aiscaffold-*.whl")

    machine = _machine(tmp_path, "a", first)
    project = tmp_path / "docs-qa"
    new = ["aiscaffold", "new", "rag-app", str(project), "--defaults", "--no-install"]
    subprocess.run(new, env=machine, check=True, capture_output=True)
    old_file = project / "tests" / "test_api.py"
    old_file.write_text(old_file.read_text() + "\n\ndef test_our_own() -> None:\n    assert True\n")
    old_cache = project / "tests" / "test_cache.py"
    old_cache.write_text(old_cache.read_text() + "\n\ndef test_our_cache() -> None:\n    assert True\n")
    git("commit", "-qam", "a test of our own", cwd=project)

    pip = Path(machine["PATH"].split(os.pathsep)[0]) / "pip"
    subprocess.run([pip, "install", "-q", "--force-reinstall", "--no-deps", str(second_wheel)], check=True)
    update = ["aiscaffold", "update", str(project), "--defaults"]
    completed = subprocess.run(update, env=machine, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "moved tests/test_api.py to tests/api/test_routes.py" in " ".join(completed.stderr.split())
    moved = project / "tests" / "api" / "test_routes.py"
    assert "def test_our_own()" in moved.read_text()
    assert "from tests.fake_openai import" in moved.read_text()
    assert not old_file.exists()
    assert "<<<<<<<" not in moved.read_text()
    assert "moved tests/test_cache.py to tests/llm/test_cache.py" in " ".join(completed.stderr.split())
    moved_cache = project / "tests" / "llm" / "test_cache.py"
    assert "def test_our_cache()" in moved_cache.read_text()
    assert "def test_entries_expire_after_the_ttl()" in moved_cache.read_text()
    assert not old_cache.exists()
    git("commit", "-q", "--no-edit", cwd=project)
    again = subprocess.run(update, env=machine, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "nothing to update" in again.stdout
    log = git("log", "--format=%s", cwd=project)
    assert log.count("chore: apply aiscaffold's migration") == 1
