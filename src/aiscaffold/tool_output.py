"""One line out of a tool's error output (git, uv), for the one-line errors aiscaffold shows."""

from __future__ import annotations


def failure_reason(output: str) -> str:
    """One line from a tool's error output: its ``error:``/``fatal:`` line and the causes that explain it.

    uv prints ``error: <what>`` then ``cause:`` lines from the general to the specific ("Request failed",
    ..., "Connection refused"); the first and the last cause carry the meaning, the middle ones repeat it.
    Git prints ``fatal: <why>`` or ``error: <why>``. Without either, the last line is the best guess.
    """
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    heads = [i for i, line in enumerate(lines) if line.lower().startswith(("error:", "fatal:"))]
    if not heads:
        return lines[-1] if lines else ""
    head = lines[heads[0]].split(":", 1)[1].strip()
    causes = [line.split(":", 1)[1].strip() for line in lines[heads[0] + 1 :] if line.startswith("cause:")]
    if not causes:
        return head
    explained = causes[0] if len(causes) == 1 else f"{causes[0]} ... {causes[-1]}"
    return f"{head}: {explained}"
