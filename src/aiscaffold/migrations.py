"""Versioned migrations: what an update does besides the merge when a template renamed a question or moved
a file. They are Python inside aiscaffold, so no template needs copier's ``_migrations`` (and ``--trust``).

A migration belongs to the first aiscaffold version whose templates need it and runs when an update
crosses that version (the project's version < it <= the new one), in version order. Renamed answers are
applied to the project's answers before the new version is rendered; moved files are moved in the
project's history before the merge (see ``history.record_moves``), so the user's edits to a moved file
follow it to its new path instead of staying behind in a file the template no longer has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.version import InvalidVersion, Version


@dataclass(frozen=True)
class Migration:
    """One template change an update must help along.

    Attributes:
        version: The first aiscaffold version (PEP 440) whose templates need it.
        templates: The template kinds it applies to.
        description: One line for the update's report.
        renamed_answers: Old question name to new.
        moved_files: Old path to new path, relative to the project.
    """

    version: str
    templates: frozenset[str]
    description: str
    renamed_answers: Mapping[str, str] = field(default_factory=dict)
    moved_files: Mapping[str, str] = field(default_factory=dict)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version="0.2.0.dev0",
        templates=frozenset({"rag-app"}),
        description="rag-app's HTTP API tests moved to tests/api/test_routes.py, beside the other API tests",
        moved_files={"tests/test_api.py": "tests/api/test_routes.py"},
    ),
    Migration(
        version="0.2.0.dev1",
        templates=frozenset({"api-service"}),
        description="api-service's tests mirror src/<package>/: tests/ml/ and tests/core/",
        moved_files={
            "tests/test_artifacts.py": "tests/ml/test_artifacts.py",
            "tests/test_model.py": "tests/ml/test_model.py",
            "tests/test_training.py": "tests/ml/test_training.py",
            "tests/test_config.py": "tests/core/test_config.py",
            "tests/test_logging.py": "tests/core/test_logging.py",
        },
    ),
    Migration(
        version="0.2.0.dev2",
        templates=frozenset({"nlp-pipeline"}),
        description="nlp-pipeline's tests mirror src/<package>/: tests/core/ and tests/executors/",
        moved_files={
            "tests/test_config.py": "tests/core/test_config.py",
            "tests/test_logging.py": "tests/core/test_logging.py",
            "tests/test_executors.py": "tests/executors/test_executors.py",
        },
    ),
    Migration(
        version="0.2.0.dev2",
        templates=frozenset({"rag-app"}),
        description="rag-app's tests mirror src/<package>/: tests/core/, embeddings/, ingest/ and llm/",
        moved_files={
            "tests/test_config.py": "tests/core/test_config.py",
            "tests/test_logging.py": "tests/core/test_logging.py",
            "tests/test_settings.py": "tests/core/test_settings.py",
            "tests/test_embeddings.py": "tests/embeddings/test_embeddings.py",
            "tests/test_sparse.py": "tests/embeddings/test_sparse.py",
            # Only in projects made with embeddings=wordllama; elsewhere there is nothing to move.
            "tests/test_static_model.py": "tests/embeddings/test_static_model.py",
            "tests/test_chunking.py": "tests/ingest/test_chunking.py",
            "tests/test_loaders.py": "tests/ingest/test_loaders.py",
            "tests/test_ingest.py": "tests/ingest/test_pipeline.py",
            "tests/test_cache.py": "tests/llm/test_cache.py",
            "tests/test_llm_client.py": "tests/llm/test_client.py",
        },
    ),
)


def due(
    template: str, old: str, new: str | None, migrations: tuple[Migration, ...] = MIGRATIONS
) -> list[Migration]:
    """The migrations an update of a ``template`` project from ``old`` to ``new`` crosses, oldest first.

    None when either version is not a version (a branch or commit: nothing to compare).
    """
    old_version, new_version = _version(old), _version(new or "")
    if old_version is None or new_version is None:
        return []
    crossed = [
        migration
        for migration in migrations
        if template in migration.templates and old_version < Version(migration.version) <= new_version
    ]
    return sorted(crossed, key=lambda migration: Version(migration.version))


def rename_answers(answers: Mapping[str, object], migrations: list[Migration]) -> dict[str, object]:
    """``answers`` with each renamed question under its new name (an answer given for the new name wins)."""
    renamed = dict(answers)
    for migration in migrations:
        for old, new in migration.renamed_answers.items():
            if old in renamed:
                value = renamed.pop(old)
                renamed.setdefault(new, value)
    return renamed


def moves(migrations: list[Migration]) -> dict[str, str]:
    """Every file move of ``migrations``, chained (a file moved twice goes straight to its last path)."""
    chained: dict[str, str] = {}
    for migration in migrations:
        for old, new in migration.moved_files.items():
            earlier = [start for start, current in chained.items() if current == old]
            for start in earlier:
                chained[start] = new
            if not earlier:
                chained[old] = new
    return chained


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None
