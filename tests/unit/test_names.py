"""The naming rules of templates/_shared/names.jinja, run through the same Jinja setup copier uses."""

from __future__ import annotations

import keyword
import sys
from functools import cache

import jinja2
import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from support import REPO_ROOT


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(REPO_ROOT),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
        undefined=jinja2.StrictUndefined,
    )


@cache
def _questions() -> dict[str, dict[str, str]]:
    text = (REPO_ROOT / "copier.yml").read_text()
    first_document = next(yaml.safe_load_all(text.split("\n---\n")[0]))
    return {key: value for key, value in first_document.items() if not key.startswith("_")}


def _render(source: str, **context: str) -> str:
    return _environment().from_string(source).render(**context).strip()


def validate(question: str, value: str) -> str:
    """The error message copier would show for ``value`` ('' when accepted)."""
    return _render(_questions()[question]["validator"], **{question: value})


def derive(question: str, **answers: str) -> str:
    """The default copier would offer for ``question`` given earlier ``answers``."""
    return _render(_questions()[question]["default"], **answers)


def reserved(name: str) -> list[str]:
    macro = _environment().get_template("templates/_shared/names.jinja").module
    return list(getattr(macro, name))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("class", "keyword"),
        ("json", "standard-library"),
        ("asyncio", "standard-library"),
        ("fastapi", "dependency"),
        ("sklearn", "dependency"),
        ("Churn", "lowercase ASCII Python identifier"),
        ("churn-api", "lowercase ASCII Python identifier"),
        ("2fast", "lowercase ASCII Python identifier"),
        ("café", "lowercase ASCII Python identifier"),
        ("", "lowercase ASCII Python identifier"),
        ("match", "keyword"),
        ("api", "package inside the generated project"),
        ("core", "package inside the generated project"),
        ("tests", "package inside the generated project"),
    ],
)
def test_package_name_rejects(name: str, reason: str) -> None:
    assert reason in validate("package_name", name)


@pytest.mark.parametrize("name", ["churn_api", "review_sentiment", "docs_qa", "a", "my_service2"])
def test_package_name_accepts(name: str) -> None:
    assert validate("package_name", name) == ""


@pytest.mark.parametrize(
    "slug", ["", "Churn", "churn_api", "-churn", "churn-", "churn--api", "1churn", "pytest"]
)
def test_slug_rejects(slug: str) -> None:
    assert validate("project_slug", slug) != ""


@pytest.mark.parametrize("name", ["", "   ", "a/b", "..\\x", "tab\there", "line\nbreak", "---", "x" * 81])
def test_project_name_rejects(name: str) -> None:
    assert validate("project_name", name) != ""


@pytest.mark.parametrize("email", ["x", "a@b", "a b@c.d", "@c.d"])
def test_email_rejects(email: str) -> None:
    assert validate("author_email", email) != ""


def test_keywords_and_stdlib_lists_cover_this_python() -> None:
    assert set(keyword.kwlist) <= set(reserved("python_keywords"))
    public_stdlib = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    assert public_stdlib <= set(reserved("stdlib_modules"))


def packages_in_templates() -> set[str]:
    """Every Python package (a folder with ``__init__.py``) a template puts in a project, but its own."""
    templates = [path for path in (REPO_ROOT / "templates").iterdir() if not path.name.startswith("_")]
    return {
        init.parent.name
        for template in templates
        for init in template.rglob("__init__.py*")
        if init.parent.name != "{{ package_name }}" and init.parent != template
    }


def test_reserved_project_packages_are_exactly_the_packages_the_templates_make() -> None:
    found = packages_in_templates()
    assert {"api", "core", "ml", "llm", "ingest", "embeddings", "executors", "tests", "benchmarks"} <= found
    assert set(reserved("project_packages")) == found


@given(st.text(max_size=60))
@example("TYPE")  # found by hypothesis once: soft keywords were refused but not avoided when deriving
@example("match")
@example("case")
def test_derived_names_always_pass_their_validators(project_name: str) -> None:
    slug = derive("project_slug", project_name=project_name)
    package = derive("package_name", project_name=project_name, project_slug=slug)
    assert validate("project_slug", slug) == ""
    assert validate("package_name", package) == ""
    assert package.isidentifier()
    assert not keyword.iskeyword(package)


@given(st.text(max_size=60))
def test_slug_derivation_is_stable(project_name: str) -> None:
    slug = derive("project_slug", project_name=project_name)
    assert derive("project_slug", project_name=slug) == slug


@given(st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True))
def test_any_accepted_package_name_is_an_importable_identifier(name: str) -> None:
    if validate("package_name", name) == "":
        assert name.isidentifier()
        assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
        assert name not in sys.stdlib_module_names
        compile(f"import {name}", "<check>", "exec")


def test_examples_of_derivation() -> None:
    assert derive("project_slug", project_name="My Churn API!") == "my-churn-api"
    assert derive("package_name", project_slug="my-churn-api") == "my_churn_api"
    assert derive("project_slug", project_name="123 Go") == "project-123-go"
    assert derive("package_name", project_slug="json") == "json_app"
    assert derive("project_slug", project_name="pytest") == "pytest-app"
    assert derive("project_slug", project_name="type") == "type-app"
    assert derive("package_name", project_slug="api") == "api_app"  # typed as an answer, "api" is refused
