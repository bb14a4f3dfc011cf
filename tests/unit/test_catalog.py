"""templates/catalog.toml holds each template's facts once; copier.yml and the folders agree with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from support import REPO_ROOT

from aiscaffold.catalog import Template, bundled_catalog, catalog_for, load_catalog, parse_template
from aiscaffold.errors import TemplateSourceError, UnknownTemplateError


def copier_questions(root: Path = REPO_ROOT) -> dict[str, Any]:
    """copier.yml's first document: the questions every template shares."""
    loaded: dict[str, Any] = yaml.safe_load((root / "copier.yml").read_text().split("\n---\n")[0])
    return loaded


def disagreements(root: Path = REPO_ROOT) -> list[str]:
    """Each way copier.yml and the template folders say something other than the root's catalog."""
    catalog, questions = load_catalog(root), copier_questions(root)
    found = []
    folders = {path.name for path in (root / "templates").iterdir() if path.is_dir() and path.name[0] != "_"}
    if folders != set(catalog):
        found.append(f"template folders {sorted(folders)} but catalog {sorted(catalog)}")
    choices = questions["template"]["choices"]
    expected = {f"{template.name}: {template.description}": template.name for template in catalog.values()}
    if choices != expected:
        found.append(f"copier.yml template choices {choices} but the catalog says {expected}")
    for template in catalog.values():
        default = _render(questions["description"]["default"], template=template.name)
        if default != template.description:
            found.append(f"{template.name}: copier.yml description default {default!r}")
        asks_auth = _render(questions["auth"]["when"], template=template.name) == "True"
        if asks_auth != template.is_server:
            found.append(f"{template.name}: copier.yml asks `auth` {asks_auth}, but it is a {template.kind}")
    return found


def _render(expression: str, **context: str) -> str:
    return jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(expression).render(**context)


def test_copier_yml_and_folders_agree_with_the_catalog() -> None:
    assert disagreements() == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("Streaming sentiment pipeline for product reviews\n", "A sentiment pipeline\n"), "nlp-pipeline"),
        (
            ('{%- elif template == "rag-app" %}Question', '{%- elif template == "rag-app" %}Answers'),
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
    (root / "templates" / "catalog.toml").write_text((REPO_ROOT / "templates" / "catalog.toml").read_text())
    text = (REPO_ROOT / "copier.yml").read_text()
    assert edit[0] in text
    (root / "copier.yml").write_text(text.replace(edit[0], edit[1], 1))

    [found] = disagreements(root)
    assert message in found


def test_a_folder_without_an_entry_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in [*bundled_catalog(), "web-app"]:
        (root / "templates" / name).mkdir(parents=True)
    (root / "templates" / "catalog.toml").write_text((REPO_ROOT / "templates" / "catalog.toml").read_text())
    (root / "copier.yml").write_text((REPO_ROOT / "copier.yml").read_text())
    assert [problem[:16] for problem in disagreements(root)] == ["template folders"]


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
