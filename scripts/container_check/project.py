"""What the checks read from a project: its Dockerfile, answers, `.env` secrets and private files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SECRET_NAME = re.compile(r"SECRET|KEY|TOKEN|PASSW|CREDENTIAL", re.IGNORECASE)
MIN_SECRET_LENGTH = 12  # shorter `.env` values are settings ("true", "8000"), and would match anywhere
CONTEXT_EXCLUDED = (".env", ".git", "data")


@dataclass
class Dockerfile:
    """What the checks read from a Dockerfile."""

    bases: list[str]  # images of the FROM lines that are not earlier stages
    args: dict[str, str | None]  # ARG name -> default
    copied: list[str]  # build-context paths that COPY/ADD name (not `.`, not --from)


def parse_dockerfile(path: Path) -> Dockerfile:
    """FROM, ARG and COPY/ADD instructions (continuation lines joined, comments dropped)."""
    lines = [line.strip() for line in re.sub(r"\\\n", " ", path.read_text()).splitlines()]
    result = Dockerfile([], {}, [])
    stages: set[str] = set()
    for line in lines:
        instruction, _, rest = line.partition(" ")
        words = rest.split()
        match instruction.upper():
            case "FROM":
                image = next(word for word in words if not word.startswith("--"))
                if image.lower() not in stages:
                    result.bases.append(image)
                stages.add(words[-1].lower())
            case "ARG":
                name, equals, default = rest.strip().partition("=")
                result.args[name] = default if equals else None
            case "COPY" | "ADD" if not any(word.startswith("--from") for word in words):
                sources = [word.rstrip("/") for word in words[:-1] if not word.startswith("--")]
                result.copied += [source for source in sources if source not in {"", "."}]
    return result


def read_answers(project: Path) -> dict[str, str]:
    """The top-level `key: value` lines of .copier-answers.yml (all the checks need from it)."""
    path = project / ".copier-answers.yml"
    lines = path.read_text().splitlines() if path.is_file() else []
    pairs = [line.partition(":") for line in lines if not line.startswith((" ", "#"))]
    return {key.strip(): value.strip().strip("'\"") for key, colon, value in pairs if colon}


def env_secrets(project: Path) -> list[str]:
    """Values of secret-named variables in the project's `.env`: they must never reach the image."""
    path = project / ".env"
    found = []
    for line in path.read_text().splitlines() if path.is_file() else []:
        name, equals, value = line.strip().partition("=")
        value = value.strip().strip("'\"")
        if (
            equals
            and not name.startswith("#")
            and SECRET_NAME.search(name)
            and len(value) >= MIN_SECRET_LENGTH
        ):
            found.append(value)
    return found


def context_files(project: Path, dockerfile: Dockerfile) -> list[str]:
    """Files under `.env`, `.git` and `data/` that must stay out of the image, less those copied by name."""
    found = []
    for top in CONTEXT_EXCLUDED:
        path = project / top
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for item in candidates:
            relative = item.relative_to(project).as_posix()
            shipped = any(
                relative == copied or relative.startswith(f"{copied}/") for copied in dockerfile.copied
            )
            if item.is_file() and not shipped:
                found.append(relative)
    return found
