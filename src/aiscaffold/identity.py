"""The author defaults for new projects, read from the user's git configuration."""

from __future__ import annotations

import shutil
import subprocess


def git_config_value(key: str) -> str | None:
    """Return ``git config --get KEY`` or None when git or the key is missing."""
    git = shutil.which("git")
    if git is None:
        return None
    completed = subprocess.run([git, "config", "--get", key], capture_output=True, text=True, check=False)
    value = completed.stdout.strip()
    return value or None


def author_defaults() -> dict[str, str]:
    """Defaults for the ``author_name``/``author_email`` questions, where git knows them."""
    found = {"author_name": git_config_value("user.name"), "author_email": git_config_value("user.email")}
    return {key: value for key, value in found.items() if value}
