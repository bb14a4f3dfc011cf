"""Which migrations an update crosses, and how they rename answers and chain file moves."""

from __future__ import annotations

import re
from pathlib import Path

from aiscaffold.migrations import MIGRATIONS, Migration, due, moves, rename_answers

TEMPLATES = Path(__file__).parents[2] / "templates"
# `{% if pdf %}pdf.py{% endif %}` in a file or folder name: the name the file has when it is rendered.
CONDITIONAL = re.compile(r"\{%-?\s*if\b[^%]*-?%\}(.*?)\{%-?\s*endif\s*-?%\}")
RAG = frozenset({"rag-app"})
FIRST = Migration(
    "0.2.0", RAG, "first", renamed_answers={"llm": "llm_provider"}, moved_files={"a.py": "b.py"}
)
SECOND = Migration("0.3.0", RAG, "second", moved_files={"b.py": "pkg/c.py", "x.md": "docs/x.md"})
BOTH = (SECOND, FIRST)


def test_an_update_crosses_the_migrations_after_its_version_up_to_the_new_one() -> None:
    assert due("rag-app", "v0.1.0", "v0.3.0", BOTH) == [FIRST, SECOND]
    assert due("rag-app", "v0.2.0", "v0.3.0", BOTH) == [SECOND]
    assert due("rag-app", "v0.1.0", "v0.2.0+1", BOTH) == [FIRST]
    assert due("rag-app", "v0.3.0", "v0.4.0", BOTH) == []
    assert due("api-service", "v0.1.0", "v0.3.0", BOTH) == []
    assert due("rag-app", "main", "v0.3.0", BOTH) == []  # a branch: nothing to compare


def test_renamed_answers_keep_their_value_and_an_explicit_new_answer_wins() -> None:
    assert rename_answers({"llm": "openai", "x": 1}, [FIRST]) == {"llm_provider": "openai", "x": 1}
    assert rename_answers({"llm": "openai", "llm_provider": "ollama"}, [FIRST]) == {"llm_provider": "ollama"}


def test_a_file_moved_twice_goes_straight_to_its_last_path() -> None:
    assert moves([FIRST, SECOND]) == {"a.py": "pkg/c.py", "x.md": "docs/x.md"}


def test_the_shipped_migrations_are_ordered_and_name_real_templates() -> None:
    for migration in MIGRATIONS:
        assert migration.templates <= {"api-service", "nlp-pipeline", "rag-app"}
        assert migration.renamed_answers or migration.moved_files


def rendered_paths(template: str) -> set[str]:
    """Every path ``template`` renders, each optional one as it is named when its condition holds: a move of
    an optional file is right when its paths are right for the projects that have it (a project without the
    file has nothing to move)."""
    return {
        CONDITIONAL.sub(r"\1", path.relative_to(TEMPLATES / template).as_posix()).removesuffix(".jinja")
        for path in (TEMPLATES / template).rglob("*")
        if path.is_file()
    }


def test_rendered_paths_name_optional_files_as_the_projects_that_have_them_do() -> None:
    rag = rendered_paths("rag-app")
    assert "tests/embeddings/test_static_model.py" in rag
    assert "tests/test_k8s.py" in rag
    assert not [path for path in rag if "{%" in path or path.endswith(".jinja")]


def test_each_shipped_move_leads_to_a_file_the_template_renders_and_away_from_one_it_no_longer_does() -> None:
    for migration in MIGRATIONS:
        for template in migration.templates:
            rendered = rendered_paths(template)
            for old, new in migration.moved_files.items():
                assert new in rendered, f"{migration.version}: {template} renders no {new}"
                assert old not in rendered, f"{migration.version}: {template} still renders {old}"
