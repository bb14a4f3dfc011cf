"""Running the built image: a server is started and probed, a batch image runs the commands it is given."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from container_check.machine import Buildah, tail
from container_check.report import Report

SERVER_START_SECONDS = 120


@dataclass(frozen=True)
class BatchPlan:
    """What a batch image runs: argument lists for its ENTRYPOINT, then files they must have written.

    The caller knows its templates (aiscaffold's tests pass their batch templates'); with no runs the image
    runs its own CMD.
    """

    runs: tuple[tuple[str, ...], ...] = ()
    outputs: tuple[str, ...] = ()

    @classmethod
    def parse(cls, runs: list[str] | None, outputs: list[str] | None) -> BatchPlan:
        """From `--batch-run "ARGS"` (shell-quoted, repeatable) and `--batch-output PATH` (repeatable)."""
        return cls(tuple(tuple(shlex.split(run)) for run in runs or []), tuple(outputs or []))


def image_kind(config: dict[str, Any]) -> str:
    """``server`` for an image that declares a port or a HEALTHCHECK, else ``batch``."""
    return "server" if config.get("ExposedPorts") or config.get("Healthcheck") else "batch"


def run(
    buildah: Buildah,
    report: Report,
    tag: str,
    config: dict[str, Any],
    uid: int | None,
    batch: BatchPlan,
    expected_kind: str | None = None,
) -> None:
    """Run the image as a server or as a batch job (see ``image_kind``), adding checks to ``report``.

    With ``expected_kind`` (the caller knows its template, see `--kind`), an image of the other kind fails
    a "kind" check: a server whose EXPOSE and HEALTHCHECK went missing is not quietly run as a batch job.
    """
    kind = image_kind(config)
    if expected_kind is not None:
        report.add("kind", kind == expected_kind, f"{kind} image (expected: {expected_kind})")
    container = buildah("from", "--pull=never", tag).strip()
    try:
        if kind == "server":
            _run_server(buildah, report, container, config, uid)
        else:
            _run_batch(buildah, report, container, config, uid, batch)
    finally:
        buildah.run("rm", container)


def _run_server(
    buildah: Buildah, report: Report, container: str, config: dict[str, Any], uid: int | None
) -> None:
    """Start the image's command, probe it from the host, run its HEALTHCHECK inside it, then stop it."""
    port, env = choose_port(config)
    run = ["run", "--isolation", "chroot", *env, container, "--"]
    command = [*(config.get("Entrypoint") or []), *(config.get("Cmd") or [])]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(
            buildah.argv(*run, *command), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            health = _wait_for(f"http://127.0.0.1:{port}/health", server, SERVER_START_SECONDS)
            if not report.add(
                "GET /health", health == 200, f"{health} on port {port}" + _log_tail(log, health)
            ):
                return
            ready = _wait_for(f"http://127.0.0.1:{port}/ready", server, 30)
            report.add("GET /ready", ready == 200, f"{ready}" + _log_tail(log, ready))
            uids = _container_uids(server.pid)
            right = uids == {uid} if uid is not None else bool(uids) and 0 not in uids
            report.add("process uid", right, f"processes in the container run as uid {sorted(uids)}")
            test = (config.get("Healthcheck") or {}).get("Test") or ["NONE"]
            if test[0] == "NONE":
                report.add("HEALTHCHECK", False, "the server image has no HEALTHCHECK")
            else:
                probe = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]
                completed = buildah.run(*run, *probe, timeout=60)
                report.add(
                    "HEALTHCHECK",
                    completed.returncode == 0,
                    f"exit {completed.returncode} {completed.stderr}",
                )
        finally:
            _stop(server)


def choose_port(config: dict[str, Any]) -> tuple[int, list[str]]:
    """The port to probe and `--env` options: a free port when a `*_PORT` variable sets the exposed one.

    Another service on this machine (or a parallel test) may hold the image's port; the image reads its
    port from a setting, so moving it also moves its HEALTHCHECK.
    """
    exposed = sorted(int(key.partition("/")[0]) for key in config.get("ExposedPorts") or {}) or [8000]
    for item in config.get("Env") or []:
        name, _, value = item.partition("=")
        if name.endswith("_PORT") and value == str(exposed[0]):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                free = int(probe.getsockname()[1])
            return free, ["--env", f"{name}={free}"]
    return exposed[0], []


def _wait_for(url: str, server: subprocess.Popen[bytes], seconds: float) -> int | str:
    """The HTTP status of ``url`` once it is 200, or the last status or error when time runs out."""
    deadline = time.monotonic() + seconds
    last: int | str = "no answer"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return f"server exited with {server.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own http URL)
                return int(response.status)
        except urllib.error.HTTPError as error:
            last = error.code
        except OSError as error:
            last = type(error).__name__
        time.sleep(0.5)
    return last


def _log_tail(log: IO[str], status: int | str) -> str:
    if status == 200:
        return ""
    log.seek(0)
    return "\n" + tail(log.read(), 15)


def _container_uids(pid: int) -> set[int]:
    """Real uids of the processes under ``pid`` that run inside the container (their root is not ours)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            parent = int(stat.read_text().rpartition(")")[2].split()[1])
            children.setdefault(parent, []).append(int(stat.parent.name))
    uids, queue = set(), [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            queue.append(child)
            with contextlib.suppress(OSError):
                if Path(f"/proc/{child}/root").readlink() != Path("/"):
                    status = Path(f"/proc/{child}/status").read_text().splitlines()
                    uids |= {int(line.split()[1]) for line in status if line.startswith("Uid:")}
    return uids


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to buildah's process group (it passes it on to the server); SIGKILL after 15 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=15)
            return


def _run_batch(
    buildah: Buildah,
    report: Report,
    container: str,
    config: dict[str, Any],
    uid: int | None,
    batch: BatchPlan,
) -> None:
    """Run the given batch commands one after another in one container, as compose runs with volumes."""
    runs = batch.runs or (tuple(config.get("Cmd") or []),)
    run = ["run", "--isolation", "chroot", container, "--"]
    entrypoint = config.get("Entrypoint") or []
    for args in runs:
        completed = buildah.run(*run, *entrypoint, *args, timeout=600)
        detail = f"exit {completed.returncode}: {' '.join([*entrypoint, *args])}"
        if completed.returncode != 0:
            detail += "\n" + tail(completed.stdout + completed.stderr, 15)
        if not report.add(f"run {args[0] if args else '(CMD)'}", completed.returncode == 0, detail):
            return
    if batch.outputs:
        # One shell for all files: each `buildah run` costs a second or two.
        check = ["sh", "-c", 'for f; do [ -s "$f" ] || echo "$f"; done', "sh", *batch.outputs]
        missing = buildah.run(*run, *check).stdout.split()
        detail = f"missing: {' '.join(missing)}" if missing else " ".join(batch.outputs)
        report.add("outputs written", not missing, detail)
    seen = buildah.run(*run, "id", "-u").stdout.strip()
    right = seen == str(uid) if uid is not None else seen.isdigit() and seen != "0"
    report.add("process uid", right, f"a process in the container runs as uid {seen}")
