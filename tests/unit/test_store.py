"""The versioned local store keys tags by content: what an installed aiscaffold renders is what it ships."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import git

from aiscaffold.store import _LOCK_FILE, STORE_ENV, _locked, ensure_version


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minimal bundled tree (copier.yml and one template file), and an empty store for it."""
    monkeypatch.setenv(STORE_ENV, str(tmp_path / "store"))
    root = tmp_path / "bundled"
    (root / "templates" / "api-service").mkdir(parents=True)
    (root / "copier.yml").write_text("template:\n  type: str\n")
    (root / "templates" / "api-service" / "README.md.jinja").write_text("first\n")
    return root


def readme_at(store: Path, tag: str) -> str:
    return git("show", f"{tag}:templates/api-service/README.md.jinja", cwd=store)


def test_the_same_content_reuses_its_tag(bundled: Path) -> None:
    store, tag = ensure_version(bundled, "0.1.0")
    assert tag == "v0.1.0"
    assert ensure_version(bundled, "0.1.0") == (store, "v0.1.0")
    assert git("tag", "--list", cwd=store).split() == ["v0.1.0"]


def test_changed_content_under_the_same_version_gets_its_own_tag(bundled: Path) -> None:
    ensure_version(bundled, "0.1.0")
    (bundled / "templates" / "api-service" / "README.md.jinja").write_text("second\n")
    store, changed = ensure_version(bundled, "0.1.0")
    assert changed == "v0.1.0+1"
    assert readme_at(store, "v0.1.0").strip() == "first"
    assert readme_at(store, changed).strip() == "second"
    # Back to content the store already has: its tag, not a third one.
    (bundled / "templates" / "api-service" / "README.md.jinja").write_text("first\n")
    assert ensure_version(bundled, "0.1.0")[1] == "v0.1.0"
    (bundled / "templates" / "api-service" / "README.md.jinja").write_text("third\n")
    assert ensure_version(bundled, "0.1.0")[1] == "v0.1.0+2"


def test_a_new_version_is_tagged_plainly_even_with_known_content(bundled: Path) -> None:
    ensure_version(bundled, "0.1.0")
    store, tag = ensure_version(bundled, "0.2.0")
    assert tag == "v0.2.0"
    assert readme_at(store, tag).strip() == "first"


def test_removed_template_files_are_gone_from_the_new_tag(bundled: Path) -> None:
    extra = bundled / "templates" / "api-service" / "OLD.md"
    extra.write_text("old\n")
    ensure_version(bundled, "0.1.0")
    extra.unlink()
    shutil.rmtree(bundled / "templates" / "api-service" / "__pycache__", ignore_errors=True)
    store, tag = ensure_version(bundled, "0.1.0")
    assert tag == "v0.1.0+1"
    assert "OLD.md" not in git("ls-tree", "-r", "--name-only", tag, cwd=store)


@pytest.mark.skipif(sys.platform == "win32", reason="the probe uses fcntl")
def test_the_store_lock_excludes_a_second_process(tmp_path: Path) -> None:
    # Two aiscaffold processes preparing the store at once must take turns.
    probe = (
        "import fcntl, sys\n"
        "with open(sys.argv[1], 'w') as handle:\n"
        "    try:\n"
        "        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
        "    except BlockingIOError:\n"
        "        print('held')\n"
        "    else:\n"
        "        print('free')\n"
    )
    lock_file = str(tmp_path / _LOCK_FILE)

    def other_process_sees() -> str:
        argv = [sys.executable, "-c", probe, lock_file]
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()

    with _locked(tmp_path):
        assert other_process_sees() == "held"
    assert other_process_sees() == "free"
