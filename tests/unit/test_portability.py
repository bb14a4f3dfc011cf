"""Every command imports on any platform: no POSIX-only module on the import path of aiscaffold's code."""

from __future__ import annotations

import subprocess
import sys

# Standard-library modules that exist on POSIX only (Windows has none of them). `pwd` and `grp` are left
# out: libraries we depend on import them on POSIX and choose another path on Windows themselves.
POSIX_ONLY = ("fcntl", "termios", "tty", "pty", "resource", "syslog")


def test_every_module_imports_without_posix_only_modules() -> None:
    # Each blocked name is None in sys.modules, so importing it raises ImportError, as on Windows.
    probe = (
        "import importlib, pkgutil, sys\n"
        f"for name in {POSIX_ONLY!r}:\n"
        "    sys.modules[name] = None\n"
        "import aiscaffold\n"
        "names = [m.name for m in pkgutil.walk_packages(aiscaffold.__path__, 'aiscaffold.')]\n"
        "for name in names:\n"
        "    if name != 'aiscaffold.__main__':  # runs the CLI when imported\n"
        "        importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert int(completed.stdout) > 20  # the walk found the package's modules (cli, create, update, ...)


def test_the_probe_notices_a_posix_only_import() -> None:
    # The same blocking, applied to a module that does import fcntl at the top, must fail.
    probe = "import sys\nsys.modules['fcntl'] = None\nimport fcntl\n"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert completed.returncode != 0
    assert "ModuleNotFoundError" in completed.stderr
