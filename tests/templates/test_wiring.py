"""Templates get shared parts by reference, never by copy, and a one-line stub renders exactly its part.

A template's copy of a shared file is a stub, `{% include "templates/_shared/<part>" -%}` and a newline: the
`-` swallows the stub's own newline, so the rendered file is byte-for-byte the shared part (an editor or
pre-commit's end-of-file-fixer may add that newline; it must not add a blank line to the project).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import REPO_ROOT, git

from aiscaffold.answers import AnswerPolicy
from aiscaffold.catalog import parse_template
from aiscaffold.generator import RenderRequest, render
from aiscaffold.sources import TemplateSource

TEMPLATES = REPO_ROOT / "templates"
SHARED = TEMPLATES / "_shared"
# Any reference to a shared file: include, extends, import or from.
REFERENCE = re.compile(r'\{%-?\s*(?:include|extends|import|from)\s+"(templates/_shared/[^"]+)"')
# A file that is nothing but an include, however it is spelled; STUB is the one spelling allowed.
ANY_STUB = re.compile(r'\s*\{%-?\s*include\s+"[^"]+"\s*-?%\}\s*')
STUB = re.compile(r'\{% include "(templates/_shared/[^"]+)" -%\}\n')
# Where copier.yml and the question files import macros (names.jinja) from.
QUESTION_FILES = [REPO_ROOT / "copier.yml", *sorted((TEMPLATES / "_questions").glob("*.yml"))]
# Share of a shared part's lines found in a template's file that makes it a copy rather than a cousin.
NEAR_COPY = 0.8
# A shared part this short is a cousin of many files (a license header, a two-line .gitignore).
MIN_LINES = 6


def template_files(templates: Path = TEMPLATES) -> list[Path]:
    """Every file of every template and of the skeleton new ones start from (not the shared parts)."""
    return sorted(
        path
        for folder in templates.iterdir()
        if folder.is_dir() and (not folder.name.startswith("_") or folder.name == "_skeleton")
        for path in folder.rglob("*")
        if path.is_file()
    )


def _significant_lines(text: str) -> set[str]:
    """The lines that say something: stripped, without blanks, Jinja comments or lone brackets."""
    lines = (line.strip() for line in text.splitlines())
    return {line for line in lines if len(line) > 3 and not line.startswith(("{#", "#}"))}


def copies_of_shared_parts(templates: Path = TEMPLATES) -> list[str]:
    """``template file ~ shared part`` for each template file that repeats most of a shared part's lines."""
    parts = {
        path: lines
        for path in sorted((templates / "_shared").rglob("*"))
        if path.is_file() and len(lines := _significant_lines(path.read_text(encoding="utf-8"))) >= MIN_LINES
    }
    found = []
    for path in template_files(templates):
        lines = _significant_lines(path.read_text(encoding="utf-8", errors="replace"))
        for part, part_lines in parts.items():
            if len(part_lines & lines) >= NEAR_COPY * len(part_lines):
                found.append(f"{path.relative_to(templates)} ~ {part.relative_to(templates)}")
    return found


def test_no_template_copies_a_shared_part() -> None:
    assert copies_of_shared_parts() == [], "include the shared part instead (templates/_shared/README.md)"


def test_the_copy_check_finds_a_copied_part(tmp_path: Path) -> None:
    """The check above is not vacuous: a copied part, even slightly edited, is reported."""
    shared = tmp_path / "_shared" / "src" / "core"
    shared.mkdir(parents=True)
    part = (SHARED / "src" / "core" / "logging.py.jinja").read_text(encoding="utf-8")
    (shared / "logging.py.jinja").write_text(part)
    copy = tmp_path / "new-template" / "src" / "logging.py.jinja"
    copy.parent.mkdir(parents=True)
    copy.write_text(part.replace("structlog", "logging", 1) + "\n# our own tweak\n")
    assert copies_of_shared_parts(tmp_path) == [
        "new-template/src/logging.py.jinja ~ _shared/src/core/logging.py.jinja"
    ]


def test_every_reference_names_a_shared_file_that_exists() -> None:
    references = {
        f"{path.relative_to(TEMPLATES)}: {name}"
        for path in [*template_files(), *SHARED.rglob("*.jinja")]
        for name in REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace"))
        if not (REPO_ROOT / name).is_file()
    }
    assert references == set()


def test_every_stub_is_spelled_to_swallow_its_newline() -> None:
    misspelled = [
        str(path.relative_to(TEMPLATES))
        for path in template_files()
        if ANY_STUB.fullmatch(text := path.read_text(encoding="utf-8", errors="replace"))
        and not STUB.fullmatch(text)
    ]
    assert misspelled == [], 'write stubs as `{% include "templates/_shared/<part>" -%}` and a newline'


def test_every_shared_part_is_used() -> None:
    users = [
        *template_files(),
        *SHARED.rglob("*.jinja"),
        REPO_ROOT / "copier.yml",
        *TEMPLATES.glob("_questions/*"),
    ]
    used = {
        name
        for path in users
        for name in REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace"))
    }
    parts = {str(path.relative_to(REPO_ROOT)) for path in SHARED.rglob("*.jinja")}
    assert parts - used == set()


PART = '"""A shared part."""\n\nGREETING = "{{ greeting }}"\n'


@pytest.mark.parametrize(
    ("stub", "identical"),
    [
        ('{% include "templates/_shared/part.py.jinja" -%}\n', True),
        ('{% include "templates/_shared/part.py.jinja" -%}', True),
        # The old spelling: the stub's newline lands after the part's, a blank line at the end of the file.
        ('{% include "templates/_shared/part.py.jinja" %}\n', False),
    ],
)
def test_a_stub_renders_byte_identical_to_its_shared_part(
    throwaway_template: Callable[..., Path], tmp_path: Path, stub: str, identical: bool
) -> None:
    root = throwaway_template()
    (root / "templates" / "_shared").mkdir()
    (root / "templates" / "_shared" / "part.py.jinja").write_text(PART)
    (root / "templates" / "api-service" / "stub.py.jinja").write_text(stub)
    (root / "templates" / "api-service" / "copy.py.jinja").write_text(PART)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "a stub", cwd=root)

    render(
        RenderRequest(
            template=parse_template("api-service"),
            source=TemplateSource(location=str(root), vcs_ref="HEAD"),
            target=tmp_path / "project",
            answers=AnswerPolicy({}, accept_defaults=True, interactive=False),
        )
    )

    rendered = (tmp_path / "project" / "stub.py").read_bytes()
    assert (rendered == (tmp_path / "project" / "copy.py").read_bytes()) is identical
    assert rendered.startswith(b'"""A shared part."""')
