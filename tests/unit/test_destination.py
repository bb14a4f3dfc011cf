"""Destination checks, staging and placement."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aiscaffold.destination import check_destination, conflicting_files, place, staging_for
from aiscaffold.errors import DestinationNotEmptyError, InvalidDestinationError


@pytest.mark.parametrize("raw", ["", "   ", "../x", "a/../b", " lead", "new\nline", "tab\t"])
def test_odd_destinations_are_refused(raw: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidDestinationError):
        check_destination(raw, force=False)


def test_new_folder_is_accepted_as_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert check_destination("churn-api", force=False) == tmp_path / "churn-api"


def test_empty_folder_is_accepted(tmp_path: Path) -> None:
    assert check_destination(str(tmp_path), force=False) == tmp_path


def test_non_empty_folder_needs_force(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep")
    with pytest.raises(DestinationNotEmptyError) as raised:
        check_destination(str(tmp_path), force=False)
    assert "--force" in raised.value.hint
    assert check_destination(str(tmp_path), force=True) == tmp_path


def test_a_file_is_not_a_destination(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidDestinationError, match="not a folder"):
        check_destination(str(tmp_path / "file"), force=True)


def test_missing_parent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidDestinationError, match="does not exist"):
        check_destination(str(tmp_path / "no" / "such"), force=False)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_parent_is_refused(tmp_path: Path) -> None:  # pragma: no cover - CI runs as root
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(InvalidDestinationError, match="not writable"):
            check_destination(str(tmp_path / "x"), force=False)
    finally:
        tmp_path.chmod(0o700)


def test_staging_sits_beside_the_destination_and_is_removed(tmp_path: Path) -> None:
    destination = tmp_path / "churn-api"
    with staging_for(destination) as staging:
        assert staging.root.parent == tmp_path
        assert staging.project.name == "churn-api"
        staging.project.mkdir()
        (staging.project / "f").write_text("x")
    assert list(tmp_path.iterdir()) == []


def test_staging_is_removed_on_error(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), staging_for(tmp_path / "p") as staging:
        staging.project.mkdir()
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def _rendered(tmp_path: Path) -> Path:
    project = tmp_path / "rendered"
    (project / "src").mkdir(parents=True)
    (project / "README.md").write_text("new readme")
    (project / "src" / "app.py").write_text("new app")
    return project


def test_place_into_new_folder_moves_everything(tmp_path: Path) -> None:
    project = _rendered(tmp_path)
    place(project, tmp_path / "dest")
    assert (tmp_path / "dest" / "src" / "app.py").read_text() == "new app"
    assert not project.exists()


def test_place_with_force_keeps_user_files_and_reports_overwrites(tmp_path: Path) -> None:
    project = _rendered(tmp_path)
    destination = tmp_path / "dest"
    (destination / "src").mkdir(parents=True)
    (destination / "README.md").write_text("old readme")
    (destination / "notes.txt").write_text("mine")
    (destination / "src" / "mine.py").write_text("mine")
    assert conflicting_files(project, destination) == [Path("README.md")]
    place(project, destination)
    assert (destination / "README.md").read_text() == "new readme"
    assert (destination / "notes.txt").read_text() == "mine"
    assert (destination / "src" / "mine.py").read_text() == "mine"
    assert (destination / "src" / "app.py").read_text() == "new app"


def test_file_where_template_needs_folder_is_refused(tmp_path: Path) -> None:
    project = _rendered(tmp_path)
    destination = tmp_path / "dest"
    destination.mkdir()
    (destination / "src").write_text("a file, not a folder")
    with pytest.raises(InvalidDestinationError, match="is a file"):
        conflicting_files(project, destination)


def test_folder_where_template_needs_file_is_refused(tmp_path: Path) -> None:
    project = _rendered(tmp_path)
    destination = tmp_path / "dest"
    (destination / "README.md").mkdir(parents=True)
    with pytest.raises(InvalidDestinationError, match="is a folder"):
        conflicting_files(project, destination)
