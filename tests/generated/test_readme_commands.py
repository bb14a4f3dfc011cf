"""A newcomer's path: `aiscaffold new TEMPLATE --defaults`, then the generated README's commands, in order.

Every command of the README's Quickstart and Usage blocks runs. A command that serves (`make run`,
`uv run <slug> serve`) starts
in the background on a free port, the test waits for `/health`, and the commands after it (curl) talk to
that port. Docker commands are left to the container tests: there is no Docker engine here.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from matrix import TEMPLATES

pytestmark = pytest.mark.slow
AISCAFFOLD = Path(sys.executable).with_name("aiscaffold")
SERVING = re.compile(r"^uv run [\w-]+ serve$")


def serves(command: str, project: Path) -> bool:
    """Whether ``command`` starts a server: `uv run <slug> serve`, or `make run` when that target serves."""
    if command == "make run":
        recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", (project / "Makefile").read_text(), flags=re.MULTILINE)
        return recipe is not None and " serve" in recipe.group(1)
    return SERVING.match(command) is not None


SECTIONS = ("Quickstart", "Usage")


def readme_commands(readme: str) -> list[str]:
    """The commands of the bash blocks in the README's Quickstart and Usage sections."""
    commands: list[str] = []
    for section in SECTIONS:
        match = re.search(rf"^## {section}\n(.*?)(?=^## )", readme, flags=re.MULTILINE | re.DOTALL)
        if match is None:
            continue
        for block in re.findall(r"```bash\n(.*?)```", match.group(1), flags=re.DOTALL):
            # A command may continue over several lines (a quoted JSON body); comments start with "# ".
            for command in re.split(r"\n(?=[a-z])", block.strip()):
                stripped = re.sub(r"\s+# .*$", "", command, flags=re.MULTILINE).strip()
                if stripped and not stripped.startswith("#") and not stripped.startswith("docker"):
                    commands.append(stripped)
    return commands


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(command: str, cwd: Path, env: dict[str, str], port: int) -> Iterator[None]:
    process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=cwd, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail(f"{command!r} did not answer /health on port {port} within 60 s")
        yield
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


@pytest.mark.parametrize("template", TEMPLATES)
def test_generated_readme_commands_work(template: str, tmp_path: Path) -> None:
    project = tmp_path / "demo"
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"} | {"CI": "true"}
    subprocess.run(
        [AISCAFFOLD, "new", template, project, "--defaults"], env=env, check=True, capture_output=True
    )
    port = free_port()
    env["DEMO_PORT"] = str(port)  # the settings prefix comes from the project slug, "demo"
    commands = readme_commands((project / "README.md").read_text())
    assert commands, "the README has no Quickstart commands"
    with ExitStack() as background:
        for command in commands:
            runnable = re.sub(r"(localhost|127\.0\.0\.1):8000", f"127.0.0.1:{port}", command)
            if not runnable.startswith("curl"):
                # As a user would press Ctrl-C before typing the next command: only curl talks to the server,
                # and the rag-app's embedded vector store admits one process at a time.
                background.close()
            if serves(runnable, project):
                background.enter_context(serving(runnable, project, env, port))
                continue
            completed = subprocess.run(
                ["bash", "-c", f"set -o pipefail; {runnable}"],
                cwd=project, env=env, capture_output=True, text=True, check=False, timeout=300,
            )  # fmt: skip
            assert completed.returncode == 0, f"{command}\n{completed.stdout}\n{completed.stderr}"
            if runnable.startswith("curl"):
                assert completed.stdout.strip(), f"{command} printed nothing"
