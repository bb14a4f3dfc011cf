"""Who a new project is by: the author defaults read from git, and the identity of its first commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiscaffold import git


def author_defaults() -> dict[str, str]:
    """Defaults for the ``author_name``/``author_email`` questions, where git knows them."""
    found = {"author_name": git.config_value("user.name"), "author_email": git.config_value("user.email")}
    return {key: value for key, value in found.items() if value}


def commit_identity(answers: Mapping[str, Any]) -> dict[str, str]:
    """The git environment for the first commit: empty when git has an identity, else the project's author.

    A machine without a git identity (a fresh CI runner, a container) must still get its first commit.
    """
    env: dict[str, str] = {}
    if git.config_value("user.name") is None:
        name = str(answers.get("author_name", "aiscaffold"))
        env |= {"GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name}
    if git.config_value("user.email") is None:
        email = str(answers.get("author_email", "aiscaffold@localhost"))
        env |= {"GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email}
    return env
