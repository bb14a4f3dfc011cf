"""The machine the checks run on: its tools (buildah on a store of our own) and what it lacks (exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class MachineError(Exception):
    """This machine cannot run the checks (exit 2)."""


def tail(text: str, lines: int = 20) -> str:
    """The last ``lines`` lines of ``text``."""
    return "\n".join(text.splitlines()[-lines:])


class Buildah:
    """buildah on a store of our own: vfs (no overlay or fuse needed), processes isolated by chroot."""

    def __init__(self, cache: Path) -> None:
        self.prefix = ["buildah", "--root", str(cache / "storage"), "--runroot", str(cache / "run")]
        self.prefix += ["--storage-driver", "vfs"]

    def argv(self, *args: str) -> list[str]:
        return [*self.prefix, *args]

    def run(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), capture_output=True, text=True, check=False, timeout=timeout)

    def __call__(self, *args: str) -> str:
        completed = self.run(*args)
        if completed.returncode != 0:
            raise MachineError(f"buildah {' '.join(args)} failed:\n{tail(completed.stderr)}")
        return completed.stdout

    def inspect(self, image: str) -> dict[str, Any]:
        """The image's Docker-format metadata: `config`, `history`, `rootfs`."""
        loaded: dict[str, Any] = json.loads(self("inspect", "--type", "image", image))["Docker"]
        return loaded


def full_name(image: str) -> str:
    """The name buildah stores a Docker Hub short name under: python:3.11 -> docker.io/library/python:3.11."""
    first, _, rest = image.partition("/")
    if not rest:
        return f"docker.io/library/{image}"
    return image if "." in first or ":" in first or first == "localhost" else f"docker.io/{image}"


def must(argv: Sequence[str]) -> None:
    """Run a tool other than buildah; its failure means this machine cannot run the checks."""
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise MachineError(f"{' '.join(argv[:3])} failed:\n{tail(completed.stdout + completed.stderr)}")


def preflight(projects: Sequence[Path]) -> None:
    """MachineError unless we are root with buildah and debootstrap, and every project has a Dockerfile."""
    if os.geteuid() != 0:
        raise MachineError("needs root (buildah with chroot isolation, debootstrap)")
    missing = [tool for tool in ("buildah", "debootstrap") if not shutil.which(tool)]
    if missing:
        raise MachineError(f"missing {' and '.join(missing)}: apt-get install {' '.join(missing)}")
    for project in projects:
        if not (project / "Dockerfile").is_file():
            raise MachineError(f"{project} has no Dockerfile")


def host_uv_cache() -> Path | None:
    """This machine's uv cache folder, when uv is installed and the folder exists."""
    uv = shutil.which("uv")
    completed = (
        subprocess.run([uv, "cache", "dir"], capture_output=True, text=True, check=False) if uv else None
    )
    path = Path(completed.stdout.strip()) if completed and completed.returncode == 0 else None
    return path if path and path.is_dir() else None
