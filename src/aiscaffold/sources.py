"""Where templates come from: a local folder, a git URL, or the copy bundled with aiscaffold.

A source is handed to copier as an absolute path or a URL, because copier records it as ``_src_path`` in the
generated project and a relative path would break ``copier update`` from anywhere else.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from aiscaffold import __version__
from aiscaffold.errors import TemplateSourceError
from aiscaffold.questions import copier_settings
from aiscaffold.store import ensure_version

_ROOT_MARKER = "copier.yml"
# What copier (through git) treats as remote: scheme URLs, scp-like git@host:path, and its gh:/gl: shortcuts.
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:|gh:|gl:)", re.IGNORECASE)


@dataclass(frozen=True)
class TemplateSource:
    """A template root as copier should see it.

    Attributes:
        location: Absolute folder path or git URL.
        vcs_ref: Git tag, branch or commit to render, or None for the latest (or the working tree).
        bundled: True when this is the copy that ships inside the installed aiscaffold.
    """

    location: str
    vcs_ref: str | None = None
    bundled: bool = False


def bundled_root() -> Path:
    """The template root that ships with aiscaffold.

    An installed wheel carries it as package data (``aiscaffold/_bundled``); a source checkout (editable
    install) uses the repository itself.
    """
    package_data = Path(__file__).parent / "_bundled"
    if (package_data / _ROOT_MARKER).is_file():
        return package_data
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / _ROOT_MARKER).is_file():
        return checkout
    raise TemplateSourceError(
        "this aiscaffold installation has no bundled templates",
        hint="reinstall aiscaffold, or pass --source PATH|URL",
    )


def bundled_source(vcs_ref: str | None = None) -> TemplateSource:
    """The templates of this aiscaffold, as a git source copier can update from.

    In a source checkout that is the repository itself at HEAD (working tree included: copier would
    otherwise pick the newest tag). An installed aiscaffold goes through the versioned local store.
    """
    root = bundled_root()
    if (root / ".git").exists():
        return TemplateSource(location=str(root), vcs_ref=vcs_ref or "HEAD", bundled=True)
    store, tag = ensure_version(root, __version__)
    return TemplateSource(location=str(store), vcs_ref=vcs_ref or tag, bundled=True)


def resolve_source(source: str | None, vcs_ref: str | None) -> TemplateSource:
    """Turn the ``--source``/``--vcs-ref`` options into a ``TemplateSource``, checking local folders now."""
    if source is None:
        return bundled_source(vcs_ref)
    if _REMOTE.match(source):
        return TemplateSource(location=source, vcs_ref=vcs_ref)
    path = Path(source).expanduser().resolve()
    if not path.is_dir():
        raise TemplateSourceError(
            f"template source {source!r} is not a folder", hint="check the --source path"
        )
    if not (path / _ROOT_MARKER).is_file():
        raise TemplateSourceError(
            f"{path} has no {_ROOT_MARKER}",
            hint="--source must point at an aiscaffold checkout (its root folder)",
        )
    if vcs_ref is not None and not (path / ".git").exists():
        raise TemplateSourceError(
            f"--vcs-ref needs a git repository, and {path} is not one",
            hint="drop --vcs-ref or use a git clone",
        )
    return TemplateSource(location=str(path), vcs_ref=vcs_ref)


def skip_if_exists_patterns() -> list[str]:
    """The bundled root's ``_skip_if_exists``: files the user owns once they exist."""
    patterns = copier_settings(bundled_root()).get("_skip_if_exists", [])
    return [str(pattern) for pattern in patterns]


def owned_by_user(path: str, patterns: list[str]) -> bool:
    """Whether ``path`` matches one of copier's ``_skip_if_exists`` patterns (gitignore-style globs: a
    pattern without a slash matches a file name anywhere, ``dir/**`` everything under ``dir``)."""
    for pattern in patterns:
        if pattern.endswith("/**") and path.startswith(pattern[:-2]):
            return True
        if fnmatch.fnmatchcase(path, pattern):
            return True
        if "/" not in pattern and fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern):
            return True
    return False
