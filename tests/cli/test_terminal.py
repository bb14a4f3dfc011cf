"""The real interactive prompts, in a real pseudo-terminal: answers, a re-asked invalid answer, Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import yaml
from support import leftovers

AISCAFFOLD = str(Path(sys.executable).with_name("aiscaffold"))
CLEAR_LINE = "\x15"  # Ctrl-U: the default is pre-filled in the prompt's buffer
ENTER = "\r"


def spawn(cwd: Path, *args: str) -> pexpect.spawn:
    # A clean environment: no CI variable (it would switch prompting off), a terminal type, git on PATH.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(cwd)),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
    }
    return pexpect.spawn(
        AISCAFFOLD, ["new", *args], cwd=str(cwd), env=env, encoding="utf-8", timeout=60, dimensions=(50, 200)
    )


def test_prompts_reask_an_invalid_answer_and_generate(tmp_path: Path) -> None:
    child = spawn(tmp_path, "--no-install", "--no-git")
    child.expect("Which template")
    child.send(ENTER)  # api-service is first
    child.expect("Where should the project go")
    child.send(CLEAR_LINE + "../outside" + ENTER)  # refused by the destination check, asked again
    child.expect("climbs out")
    child.send(CLEAR_LINE + "churn" + ENTER)
    child.expect("Human-readable project name")
    child.send(ENTER)
    child.expect("Distribution and command name")
    child.send(ENTER)
    child.expect("Python package name")
    child.send(CLEAR_LINE + "class" + ENTER)
    child.expect("is a Python keyword")
    child.send(CLEAR_LINE + "churn_core" + ENTER)
    child.expect("One-line description")
    while True:  # the remaining questions keep their defaults
        index = child.expect([r"\?", "Next steps", pexpect.EOF])
        if index == 0:
            child.send(ENTER)
        else:
            break
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    answers = yaml.safe_load((tmp_path / "churn" / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "churn_core"
    assert answers["project_name"] == "churn"
    assert not (tmp_path.parent / "outside").exists()


def test_ctrl_c_mid_way_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    child = spawn(tmp_path, "api-service", "churn", "--no-install")
    child.expect("Human-readable project name")
    child.send(ENTER)
    child.expect("Distribution and command name")
    child.sendintr()
    child.expect("Cancelled, nothing was written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP])
def test_a_kill_or_a_closed_terminal_also_writes_nothing(tmp_path: Path, signal_number: int) -> None:
    child = spawn(tmp_path, "api-service", "churn", "--no-install")
    child.expect("Human-readable project name")
    child.kill(signal_number)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_ctrl_c_at_the_template_prompt(tmp_path: Path) -> None:
    child = spawn(tmp_path)
    child.expect("Which template")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert list(tmp_path.iterdir()) == []


SWALLOWS_INTERRUPTS = """
import signal, sys, time
from pathlib import Path
from aiscaffold import cli
from aiscaffold.destination import staging_for

cli.CANCEL_GRACE_SECONDS = 0.5
signal.signal(signal.SIGTERM, cli._cancel)
with staging_for(Path(sys.argv[1]) / "churn"):
    announced = False
    while True:
        try:  # "ready" is printed inside the try: the kill may come right after it
            if not announced:
                announced = True
                print("ready", flush=True)
            time.sleep(60)
        except KeyboardInterrupt:
            pass  # a library that takes the interrupt and carries on
"""


def test_a_kill_ends_the_run_even_when_a_library_swallows_the_interrupt(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", SWALLOWS_INTERRUPTS, str(tmp_path)]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        assert leftovers(tmp_path)  # the staging folder exists while the run is on
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=20) == 130
    assert leftovers(tmp_path) == []
