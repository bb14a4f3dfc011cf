"""Outputs are written to a staged file next to their destination, then renamed into place.

A rename within one folder is atomic, so readers see the old file or the new one, never a mix. Each staged
file's name is unique and says which process writes it (`.<name>.<host>-<pid>.<random>.tmp`): two runs
writing the same output each stage their own file, and a run killed outright (SIGKILL, the OOM killer),
which cannot remove its own, has it removed by the next run that writes the same destination.
"""

import glob
import os
import socket
import tempfile
from pathlib import Path


def _new_file_mode() -> int:
    # Read once, at import, before any thread runs: reading the umask means setting it for a moment.
    umask = os.umask(0o077)
    os.umask(umask)
    return 0o666 & ~umask


# What `open()` gives a new file. mkstemp makes 0600, which a teammate, or a container running as another
# user on a mounted volume, could not read.
NEW_FILE_MODE = _new_file_mode()


def staged_file(path: Path) -> Path:
    """A new, empty file to stage `path` in; the caller renames it into place or deletes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(path)
    prefix = f"{_prefix(path)}{os.getpid()}."
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    os.close(descriptor)
    Path(name).chmod(NEW_FILE_MODE)
    return Path(name)


def remove_abandoned(path: Path) -> list[Path]:
    """Delete the files staged for `path` on this host by processes that no longer run; return them."""
    if os.name != "posix":  # os.kill(pid, 0) probes a process on POSIX; on Windows it would end it
        return []
    prefix = _prefix(path)
    removed = []
    for staged in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = staged.name.removeprefix(prefix).split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            staged.unlink(missing_ok=True)
            removed.append(staged)
    return removed


def _prefix(path: Path) -> str:
    # The host name keeps machines sharing a folder (a network drive, a mounted volume) off each other's pids.
    return f".{path.name}.{socket.gethostname()}-"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, only whether the process exists is checked
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
