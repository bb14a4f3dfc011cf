"""The CHANGELOG entries an update brings: the sections between the project's version and the new one.

aiscaffold's CHANGELOG.md ships with the templates (it says what changes in generated projects). Sections
are ``## X.Y.Z`` (anything after the version is ignored, e.g. a date) and ``## Unreleased``, which counts
when the new version has no section of its own yet (a build between releases).
"""

from __future__ import annotations

import re
from pathlib import Path

from packaging.version import InvalidVersion, Version

CHANGELOG = "CHANGELOG.md"
_SECTION = re.compile(r"^## +(?P<title>\S+)", re.MULTILINE)


def entries_between(changelog: Path, old: str, new: str) -> str:
    """The sections of ``changelog`` for versions after ``old`` up to ``new``, as markdown ("" if none)."""
    try:
        text = changelog.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    old_version, new_version = _version(old), _version(new)
    if new_version is None or new_version == old_version:
        return ""
    sections = _sections(text)
    released = {version.public for title in sections if (version := _version(title)) is not None}
    chosen = []
    for title, body in sections.items():
        version = _version(title)
        if version is None:
            wanted = title.lower() == "unreleased" and Version(new_version.public) not in {
                Version(public) for public in released
            }
        else:
            wanted = (old_version is None or version > old_version) and version <= new_version
        if wanted:
            chosen.append(body.strip())
    return "\n\n".join(chosen)


def _sections(text: str) -> dict[str, str]:
    """Each ``## `` section's title and its whole text (heading included), in file order."""
    matches = list(_SECTION.finditer(text))
    return {
        match["title"]: text[match.start() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        for i, match in enumerate(matches)
    }


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
