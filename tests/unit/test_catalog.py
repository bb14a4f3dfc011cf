"""templates/catalog.toml holds each template's facts once; copier.yml and the folders agree with it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import REPO_ROOT, disagreements

from aiscaffold.catalog import Template, bundled_catalog, catalog_for, load_catalog, parse_template
from aiscaffold.errors import TemplateSourceError, UnknownTemplateError


def test_copier_yml_and_folders_agree_with_the_catalog() -> None:
    assert disagreements() == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('"nlp-pipeline: Streaming sentiment', '"nlp-pipeline: A sentiment'), "template choices"),
        (
            ('{%- elif template == "rag-app" %}Answers', '{%- elif template == "rag-app" %}Replies'),
            "rag-app:",
        ),
        (("template in ['api-service', 'rag-app']", "template in ['api-service']"), "it is a server"),
    ],
    ids=["choice label", "description default", "auth for servers"],
)
def test_a_copier_yml_that_disagrees_is_reported(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    root = tmp_path / "root"
    (root / "templates").mkdir(parents=True)
    for name in bundled_catalog():
        (root / "templates" / name).mkdir()
    _copy_catalog_and_questions(root)
    text = (REPO_ROOT / "copier.yml").read_text()
    assert edit[0] in text
    (root / "copier.yml").write_text(text.replace(edit[0], edit[1], 1))

    [found] = disagreements(root)
    assert message in found


def test_a_folder_without_an_entry_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in [*bundled_catalog(), "web-app"]:
        (root / "templates" / name).mkdir(parents=True)
    _copy_catalog_and_questions(root)
    (root / "copier.yml").write_text((REPO_ROOT / "copier.yml").read_text())
    assert [problem[:16] for problem in disagreements(root)] == ["template folders"]


def _copy_catalog_and_questions(root: Path) -> None:
    # copier.yml `!include`s the question files: a root without them cannot be read.
    (root / "templates" / "catalog.toml").write_text((REPO_ROOT / "templates" / "catalog.toml").read_text())
    shutil.copytree(REPO_ROOT / "templates" / "_questions", root / "templates" / "_questions")


def test_every_template_has_its_facts() -> None:
    for template in bundled_catalog().values():
        assert template.description and template.default_folder
        assert template.kind in {"server", "batch"}
        assert "\n" not in template.description


def test_a_catalog_entry_without_a_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "catalog.toml").write_text(
        '[web-app]\ndescription = "A web app"\nkind = "daemon"\ndefault_folder = "web"\n'
    )
    with pytest.raises(TemplateSourceError, match=r"\[web-app\] needs description, kind"):
        load_catalog(tmp_path)


def test_a_local_source_brings_its_own_catalog(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "catalog.toml").write_text(
        '[web-app]\ndescription = "A web app"\nkind = "server"\ndefault_folder = "web"\n'
    )
    assert catalog_for(str(tmp_path)) == {"web-app": Template("web-app", "A web app", "server", "web")}
    assert catalog_for("https://example.com/templates.git") is bundled_catalog()
    assert catalog_for(str(tmp_path / "no-catalog")) is bundled_catalog()


def test_parse_template_names_the_choices() -> None:
    assert parse_template("rag-app").kind == "server"
    with pytest.raises(UnknownTemplateError) as raised:
        parse_template("web-app")
    assert "api-service, nlp-pipeline, rag-app" in raised.value.hint


def test_the_readme_table_of_templates_is_the_catalog() -> None:
    rows = re.findall(
        r"^\| `([a-z-]+)` \| (\w+) \| (.+) \|$", (REPO_ROOT / "README.md").read_text(), re.MULTILINE
    )
    expected = [
        (template.name, template.kind, template.description) for template in bundled_catalog().values()
    ]
    assert rows == expected


def test_every_description_fits_the_template_prompt_at_80_columns() -> None:
    # questionary shows "  Description: <text>" under the list on one row, cut at the terminal's edge.
    for template in bundled_catalog().values():
        assert len("  Description: " + template.description) <= 80, template.name
