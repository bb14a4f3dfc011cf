"""The stand-in base image: a debootstrap of the FROM line's Debian release, tagged as `python:X.Y-slim-…`."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from container_check.machine import Buildah, MachineError, full_name, must

# Debian release -> the python3 it ships: the only Python a stand-in of `python:X.Y-slim-<release>` can have.
DEBIAN_PYTHON = {"bullseye": "3.9", "bookworm": "3.11", "trixie": "3.13"}
DEBIAN_MIRROR = os.environ.get("CONTAINER_CHECK_MIRROR", "http://deb.debian.org/debian")
# python3-venv brings ensurepip's pip wheel, passwd useradd/groupadd, ca-certificates the certificate folder.
STAND_IN_PACKAGES = "python3,python3-venv,passwd,ca-certificates"
# Like the slim image: no package lists, downloaded packages, documentation or translations.
SLIM_REMOVES = ("var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man", "usr/share/locale")
STAND_IN_RECIPE = "1"  # bump when the recipe changes: cached stand-ins of another recipe are rebuilt
HOST_CA_BUNDLE = Path(os.environ.get("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"))


def ensure_stand_in(buildah: Buildah, image: str, cache: Path) -> bool:
    """Make ``image`` (e.g. python:3.11-slim-bookworm) exist in our store; return whether it was cached.

    A lock serialises concurrent runs (parallel tests): the first builds, the others wait, then reuse it.
    """
    match = re.fullmatch(r"python:(\d+\.\d+)(?:\.\d+)?-slim-(\w+)", image)
    if not match:
        raise MachineError(f"no stand-in recipe for {image} (only python:X.Y-slim-<Debian release>)")
    version, release = match.groups()
    if DEBIAN_PYTHON.get(release) != version:
        raise MachineError(
            f"no stand-in for {image}: Debian {release} ships Python {DEBIAN_PYTHON.get(release)}"
        )
    label = f"{release}-{STAND_IN_RECIPE}-{hashlib.sha256(HOST_CA_BUNDLE.read_bytes()).hexdigest()[:12]}"
    with _locked(cache / "stand-in.lock"):
        existing = buildah.run("inspect", "--type", "image", full_name(image))
        if existing.returncode == 0:
            labels = json.loads(existing.stdout)["Docker"]["config"].get("Labels") or {}
            if labels.get("aiscaffold.stand-in") == label:
                return True
            buildah("rmi", "--force", full_name(image))
        rootfs = cache / f"rootfs-{release}-{STAND_IN_RECIPE}.tar"
        if not rootfs.is_file():
            _debootstrap(release, rootfs)
        _import(buildah, rootfs, full_name(image), label)
    return False


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _debootstrap(release: str, tarball: Path) -> None:
    """Debootstrap ``release``, arrange it like the official python image, and save it as a tarball.

    The official image has its Python under /usr/local: `python`, `python3` and `pip` in /usr/local/bin,
    and a site-packages that root may pip-install into. A virtual environment at /usr/local gives exactly
    that without editing Debian's files: /usr/bin/python3 stays "externally managed" (PEP 668) as Debian
    means it, while `pip install uv` lands in /usr/local as in the real image. uv, looking for a Python,
    skips that venv and takes /usr/bin/python3.11, which both stages of our Dockerfile share, so the
    builder's /app/.venv works in the runtime stage (as /usr/local/bin/python3.11 does in the real image).
    """
    with tempfile.TemporaryDirectory(prefix="rootfs-", dir=tarball.parent) as scratch:
        root = Path(scratch) / "rootfs"
        must(["debootstrap", "--variant=minbase", f"--include={STAND_IN_PACKAGES}", release, str(root),
              DEBIAN_MIRROR])  # fmt: skip
        must(["chroot", str(root), "python3", "-m", "venv", "/usr/local"])
        for script in (root / "usr/local/bin").glob("[Aa]ctivate*"):
            script.unlink()
        for folder in SLIM_REMOVES:
            shutil.rmtree(root / folder)
            (root / folder).mkdir()
        partial = tarball.with_suffix(".partial")
        must(["tar", "-C", str(root), "--numeric-owner", "-cf", str(partial), "."])
        partial.rename(tarball)


def _import(buildah: Buildah, rootfs: Path, name: str, label: str) -> None:
    container = buildah("from", "scratch").strip()
    try:
        buildah("add", container, str(rootfs), "/")
        # TLS to PyPI may be intercepted on this machine, so the image trusts the host's CA bundle: pip reads
        # the system bundle, uv (rustls with its own roots) needs SSL_CERT_FILE. The real base has neither
        # and needs neither on an ordinary network; built images inherit the variable, which the secret
        # checks leave out with everything else the base image sets.
        buildah("copy", container, str(HOST_CA_BUNDLE), "/etc/ssl/certs/ca-certificates.crt")
        environment = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8",
                       "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]  # fmt: skip
        options = [word for item in environment for word in ("--env", item)]
        buildah("config", *options, "--cmd", "python3", "--label", f"aiscaffold.stand-in={label}", container)
        buildah("commit", "--format", "docker", "--rm", container, name)
    except BaseException:
        buildah.run("rm", container)
        raise
