"""The catalog, the template folders and copier.yml's `template` choices name the same templates."""

from __future__ import annotations

import pytest
import yaml
from support import REPO_ROOT

from aiscaffold.catalog import TemplateKind, parse_kind
from aiscaffold.errors import UnknownTemplateError


def test_catalog_matches_template_folders() -> None:
    folders = {path.name for path in (REPO_ROOT / "templates").iterdir() if not path.name.startswith("_")}
    assert folders == {kind.value for kind in TemplateKind}


def test_catalog_matches_copier_choices() -> None:
    config = next(yaml.safe_load_all((REPO_ROOT / "copier.yml").read_text().split("\n---\n")[0]))
    assert set(config["template"]["choices"].values()) == {kind.value for kind in TemplateKind}


def test_every_kind_has_a_description_and_folder() -> None:
    for kind in TemplateKind:
        assert kind.description
        assert kind.default_folder


def test_parse_kind_names_the_choices() -> None:
    assert parse_kind("rag-app") is TemplateKind.RAG_APP
    with pytest.raises(UnknownTemplateError) as raised:
        parse_kind("web-app")
    assert "api-service, nlp-pipeline, rag-app" in raised.value.hint
