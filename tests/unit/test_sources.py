"""Template sources: bundled, local folder, git URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import REPO_ROOT

from aiscaffold.errors import TemplateSourceError
from aiscaffold.sources import bundled_root, resolve_source


def test_bundled_root_in_a_checkout_is_the_repository() -> None:
    assert bundled_root() == REPO_ROOT


def test_bundled_source_in_a_checkout_renders_the_working_tree() -> None:
    source = resolve_source(None, None)
    assert source.bundled
    assert source.location == str(REPO_ROOT)
    assert source.vcs_ref == "HEAD"


def test_local_source_becomes_absolute(
    throwaway_template: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = throwaway_template()
    monkeypatch.chdir(root.parent)
    source = resolve_source(root.name, "v1.0.0")
    assert source.location == str(root)
    assert Path(source.location).is_absolute()


@pytest.mark.parametrize("url", ["https://example.com/x.git", "git@example.com:x/y.git", "gh:x/y"])
def test_urls_pass_through(url: str) -> None:
    assert resolve_source(url, None).location == url


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(TemplateSourceError, match="not a folder"):
        resolve_source(str(tmp_path / "nope"), None)


def test_folder_without_copier_yml(tmp_path: Path) -> None:
    with pytest.raises(TemplateSourceError, match=r"no copier\.yml"):
        resolve_source(str(tmp_path), None)


def test_vcs_ref_needs_git(tmp_path: Path) -> None:
    (tmp_path / "copier.yml").write_text("")
    with pytest.raises(TemplateSourceError, match="needs a git repository"):
        resolve_source(str(tmp_path), "v1")
