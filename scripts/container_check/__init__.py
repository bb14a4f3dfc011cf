"""Build a generated project's Docker image without Docker, run it, and check what a user would.

    PYTHONPATH=scripts python3 -m container_check PROJECT [PROJECT ...] [--json FILE] [--cache-dir DIR]
        [--keep-images] [--no-uv-cache] [--kind server|batch] [--batch-run "ARGS"]... [--batch-output PATH]...

Needs root, buildah and debootstrap; nothing is pulled from a registry. The Dockerfile's base image
(`python:3.11-slim-bookworm`, read from its FROM lines) is replaced by a local stand-in: a debootstrap of
the same Debian release with its python3, arranged to behave like the official image for our Dockerfiles,
and tagged with the base image's name in a buildah store of our own (never the machine's default store, so
a real base image there is never shadowed). The stand-in is built once per cache directory and reused.

Per project it reports, and exits 1 unless every check passes:

- base pinned  every FROM is `python:<python_version>-slim-bookworm`, with the project's answer
- build        `buildah build` (docker format, chroot isolation) succeeds: seconds and image size
- user         the image's USER is not root, and processes in the running container have that uid
- run          a server image (EXPOSE or HEALTHCHECK) starts with its own command and answers `/health` and
               `/ready` on 127.0.0.1; a batch image runs each `--batch-run` argument list after its
               ENTRYPOINT (its CMD when none is given), then every `--batch-output` file must be non-empty
- kind         with `--kind`, the image is what the caller expects (server: EXPOSE or HEALTHCHECK)
- healthcheck  the image's HEALTHCHECK command, run inside the running container, exits 0
- secrets      values of secret-named variables in the project's `.env` are in no layer, nor in the image
               config or history; no ENV or ARG named like a secret carries a value
- context      no file of the project's `.env`, `.git` or `data/` is in the image, except paths the
               Dockerfile copies by name (a batch template may ship sample data, e.g. `data/raw`)

Exit codes: 0 every check passed, 1 a check failed, 2 this machine cannot run the checks.

The modules, in the order a run goes through them: `cli` (options, exit codes) → `check` (one project, start
to end) → `project` (what is read from the project) → `stand_in` (the base image) → `machine` (buildah and
the tools) → `image` (checks on the built image) → `run` (server or batch) → `report` (results, table).
"""
