"""The versioned local store: the bundled templates as a git repository, one commit and tag per version.

An installed aiscaffold carries its templates as plain files, but ``copier update`` needs the template at
both the project's old version and the new one, from git. So the first time an aiscaffold version generates
(or updates) a project, it commits its bundled templates to this store and tags the commit ``v<version>``;
projects record the store as ``_src_path``. Installing a newer aiscaffold adds the next tag on demand.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from aiscaffold.errors import TemplateSourceError

STORE_ENV = "AISCAFFOLD_STORE"
_IDENTITY = {
    "GIT_AUTHOR_NAME": "aiscaffold",
    "GIT_AUTHOR_EMAIL": "aiscaffold@localhost",
    "GIT_COMMITTER_NAME": "aiscaffold",
    "GIT_COMMITTER_EMAIL": "aiscaffold@localhost",
}
_CONTENT = ("copier.yml", "templates")


def store_path() -> Path:
    """Where the store lives: ``$AISCAFFOLD_STORE``, else the user's aiscaffold data folder."""
    override = os.environ.get(STORE_ENV)
    if override:
        return Path(override).expanduser().absolute()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "aiscaffold" / "template-store"


def version_tag(version: str) -> str:
    """The tag of an aiscaffold version: ``v`` + the PEP 440 version."""
    return f"v{version}"


def ensure_version(bundled: Path, version: str) -> tuple[Path, str]:
    """Make sure the store holds ``bundled`` as tag ``v<version>``; return the store and the tag."""
    store = store_path()
    tag = version_tag(version)
    try:
        store.mkdir(parents=True, exist_ok=True)
        with _locked(store):
            if not (store / ".git").is_dir():
                _git(store, "init", "-q", "-b", "main")
            if not _has_tag(store, tag):
                _commit_version(store, bundled, tag)
    except (OSError, subprocess.CalledProcessError) as error:
        raise TemplateSourceError(
            f"cannot prepare the template store at {store}: {error}",
            hint=f"check that the folder is writable, or set {STORE_ENV} to another folder",
        ) from error
    return store, tag


def _commit_version(store: Path, bundled: Path, tag: str) -> None:
    for name in _CONTENT:
        target = store / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        source = bundled / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))
        else:
            shutil.copy2(source, target)
    _git(store, "add", "-A")
    _git(store, "commit", "-q", "--allow-empty", "--no-verify", "-m", f"aiscaffold {tag}")
    _git(store, "tag", tag)


def _has_tag(store: Path, tag: str) -> bool:
    completed = subprocess.run(
        ["git", "rev-parse", "-q", "--verify", f"refs/tags/{tag}"],
        cwd=store,
        capture_output=True,
        check=False,
    )
    return completed.returncode == 0


def _git(store: Path, *args: str) -> None:
    env = {**os.environ, **_IDENTITY}
    subprocess.run(["git", *args], cwd=store, env=env, check=True, capture_output=True)


@contextmanager
def _locked(store: Path) -> Iterator[None]:
    # Two aiscaffold processes may prepare the same version at once (parallel CI jobs, say).
    with (store / ".aiscaffold-lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
