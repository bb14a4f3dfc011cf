"""One project, start to end: read it, make its base, build its image, check the image, run it."""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path

from container_check.image import (
    base_pinned,
    configured_uid,
    context_absent,
    export_layers,
    secret_settings,
    secrets_absent,
)
from container_check.machine import Buildah, full_name, tail
from container_check.project import env_secrets, parse_dockerfile, read_answers
from container_check.report import Report
from container_check.run import BatchPlan, run
from container_check.stand_in import ensure_stand_in


def check_project(
    buildah: Buildah,
    project: Path,
    cache: Path,
    *,
    uv_cache: Path | None,
    keep: bool,
    batch: BatchPlan,
    expected_kind: str | None = None,
) -> Report:
    """Build, inspect and run one project's image, adding each check to the report (one story, in order)."""
    answers = read_answers(project)
    report = Report(str(project), answers.get("template", "?"))
    dockerfile = parse_dockerfile(project / "Dockerfile")
    report.add("base pinned", *base_pinned(dockerfile, answers.get("python_version")))
    start = time.perf_counter()
    cached = [ensure_stand_in(buildah, base, cache) for base in sorted(set(dockerfile.bases))]
    report.stand_in_seconds = time.perf_counter() - start
    how = "reused" if all(cached) else "built"
    report.add("stand-in base", True, f"{how} in {report.stand_in_seconds:.0f} s")
    tag = f"localhost/container-check/{project.name}:{hashlib.sha256(bytes(project)).hexdigest()[:8]}"
    start = time.perf_counter()
    built = _build(buildah, project, tag, uv_cache, cache / "logs" / f"{project.name}.build.log")
    report.build_seconds = time.perf_counter() - start
    if not report.add("build", built is None, built or f"{report.build_seconds:.0f} s"):
        return report
    try:
        image = buildah.inspect(tag)
        base = buildah.inspect(full_name(dockerfile.bases[-1]))
        user = str(image["config"].get("User") or "")
        uid = configured_uid(user)
        report.add("user is not root", uid != 0, f"USER {user or '(none: root)'}")
        report.add("no secret ENV/ARG", *secret_settings(image, base, dockerfile))
        with tempfile.TemporaryDirectory(prefix="layers-", dir=cache) as scratch:
            layers = export_layers(buildah, tag, Path(scratch), report, base)
            report.add("no .env secret in image", *secrets_absent(layers, image, env_secrets(project)))
            report.add("build context", *context_absent(layers, image, project, dockerfile))
        start = time.perf_counter()
        run(buildah, report, tag, image["config"], uid, batch, expected_kind)
        report.run_seconds = time.perf_counter() - start
    finally:
        if not keep:
            buildah.run("rmi", "--force", tag)
    return report


def _build(buildah: Buildah, project: Path, tag: str, uv_cache: Path | None, log: Path) -> str | None:
    """Build the image; None when it worked, else the end of the build log."""
    # Docker format: buildah drops HEALTHCHECK from OCI images (the OCI config has no field for it).
    # No --layers: on vfs each cached layer is a full copy of the filesystem, costing more than it saves.
    options = ["--pull=never", "--isolation", "chroot", "--format", "docker", "--layers=false", "--tag", tag]
    if uv_cache:
        # uv's download cache only: the Dockerfile installs with UV_LINK_MODE=copy, so no file links to it.
        options += ["--volume", f"{uv_cache}:/root/.cache/uv"]
    completed = buildah.run("build", *options, str(project))
    log.parent.mkdir(exist_ok=True)
    log.write_text(completed.stdout + completed.stderr)
    if completed.returncode != 0:
        return f"exit {completed.returncode} (log: {log})\n{tail(log.read_text())}"
    return None
