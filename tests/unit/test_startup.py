"""`aiscaffold --help` stays fast because the heavy libraries load only when a command needs them."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("copier", "questionary", "prompt_toolkit", "yaml", "rich", "typer.rich_utils")


def test_help_does_not_import_heavy_libraries() -> None:
    probe = (
        "import sys\n"
        "from aiscaffold.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', [name for name in {HEAVY!r} if name in sys.modules])\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip().splitlines()[-1] == "loaded: []"


def test_non_interactive_generation_does_not_import_the_prompt_library() -> None:
    probe = "import sys\nimport aiscaffold.create\nprint('loaded:', 'questionary' in sys.modules)\n"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "loaded: False"
