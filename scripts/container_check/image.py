"""Checks on the built image: its base, user, settings, and what its layers hold (secrets, private files)."""

from __future__ import annotations

import gzip
import json
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from container_check.machine import Buildah
from container_check.project import SECRET_NAME, Dockerfile, context_files
from container_check.report import Report


def configured_uid(user: str) -> int | None:
    """The uid of a USER value: 0 when unset or root, None for a name other than root."""
    name = user.partition(":")[0]
    if name in {"", "root"}:
        return 0
    return int(name) if name.isdigit() else None


def base_pinned(dockerfile: Dockerfile, python_version: str | None) -> tuple[bool | None, str]:
    """Every FROM is `python:<python_version>-slim-bookworm`."""
    if not python_version:
        return None, "no python_version in .copier-answers.yml"
    wanted = f"python:{python_version}-slim-bookworm"
    found = sorted(set(dockerfile.bases))
    return found == [wanted], f"FROM {', '.join(found)}" + ("" if found == [wanted] else f", want {wanted}")


def secret_settings(image: dict[str, Any], base: dict[str, Any], dockerfile: Dockerfile) -> tuple[bool, str]:
    """ENV the Dockerfile adds, its ARG defaults and its history: nothing secret-named with a value."""
    own_env = [
        item.partition("=") for item in image["config"].get("Env") or [] if item not in base["config"]["Env"]
    ]
    bad = [f"ENV {name}" for name, _, value in own_env if SECRET_NAME.search(name) and value]
    bad += [
        f"ARG {name}" for name, default in dockerfile.args.items() if SECRET_NAME.search(name) and default
    ]
    own_history = (image.get("history") or [])[len(base.get("history") or []) :]
    words = [
        word.partition("=") for entry in own_history for word in str(entry.get("created_by", "")).split()
    ]
    bad += [
        f"history {name}=..."
        for name, equals, value in words
        if equals and value and SECRET_NAME.search(name)
    ]
    checked = f"{len(own_env)} ENV, {len(dockerfile.args)} ARG, {len(own_history)} history entries"
    return not bad, ", ".join(bad) if bad else f"{checked}: none secret-named with a value"


def export_layers(
    buildah: Buildah, tag: str, folder: Path, report: Report, base: dict[str, Any]
) -> list[Path]:
    """Write the layers, uncompressed, to ``folder``; record the sizes; return the layers above the base."""
    buildah("push", "--disable-compression", tag, f"dir:{folder}")
    layers = json.loads((folder / "manifest.json").read_text())["layers"]
    own = len(base["rootfs"]["diff_ids"])
    report.image_bytes = sum(layer["size"] for layer in layers)
    report.base_bytes = sum(layer["size"] for layer in layers[:own])
    return [folder / layer["digest"].partition(":")[2] for layer in layers[own:]]


def secrets_absent(
    layers: Sequence[Path], image: dict[str, Any], secrets: Sequence[str]
) -> tuple[bool | None, str]:
    """No `.env` secret value in any layer, nor in the image config or history."""
    if not secrets:
        return None, "the project's .env has no secret-named value to look for"
    found = [f"layer {layer.name[:12]}" for layer in layers if contains_any(layer, secrets)]
    found += ["config/history"] if any(secret in json.dumps(image) for secret in secrets) else []
    where = f"found in {', '.join(found)}" if found else "in no layer, config or history"
    return not found, f"{len(secrets)} value(s) from .env: {where}"


def contains_any(layer: Path, needles: Sequence[str]) -> bool:
    """Whether any needle occurs in the layer (a tar: file names and contents, byte for byte)."""
    encoded = [needle.encode() for needle in needles]
    overlap = max(len(needle) for needle in encoded)
    with layer.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    with gzip.open(layer, "rb") if compressed else layer.open("rb") as stream:
        previous = b""
        while chunk := stream.read(8 << 20):
            window = previous + chunk
            if any(needle in window for needle in encoded):
                return True
            previous = window[-overlap:]
    return False


def context_absent(
    layers: Sequence[Path], image: dict[str, Any], project: Path, dockerfile: Dockerfile
) -> tuple[bool | None, str]:
    """No file of the project's `.env`, `.git` or `data/` under the image's working directory."""
    expected = context_files(project, dockerfile)
    if not expected:
        return None, "the project has no .env, .git or data/ files to look for"
    workdir = str(image["config"].get("WorkingDir") or "/").strip("/")
    wanted = {f"{workdir}/{relative}".lstrip("/"): relative for relative in expected}
    leaked: set[str] = set()
    for layer in layers:
        with tarfile.open(layer, "r:*") as archive:
            leaked |= {
                wanted[name] for name in (m.name.removeprefix("./") for m in archive) if name in wanted
            }
    if leaked:
        return False, f"{len(leaked)} of {len(expected)} in the image: {', '.join(sorted(leaked)[:5])}"
    return True, f"{len(expected)} file(s) looked for under /{workdir}, none there"
