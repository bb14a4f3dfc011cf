"""The contract with copier's internals: every private name aiscaffold uses, with the shape it relies on.

Only ``aiscaffold.copier_adapter`` touches these. When a copier upgrade renames, moves or reshapes one, the
test named after it fails here, instead of somewhere in the CLI tests. The last tests check that the
adapter uses no private name missing from this list, and that nothing else in aiscaffold uses one.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import REPO_ROOT

from aiscaffold.copier_adapter import AroundAsk, CopierRun

SOURCE = REPO_ROOT / "src" / "aiscaffold"
ADAPTER = SOURCE / "copier_adapter.py"

# Module, class: the classes we reach (none is exported by `copier` itself).
CLASSES = {
    "Worker": ("copier._main", "Worker"),  # subclassed: run_copy/run_update have no hook after the questions
    "AnswersMap": ("copier._user_data", "AnswersMap"),  # Worker.answers
    "Template": ("copier._template", "Template"),  # Worker.template
}
# Class, method name, its parameters: the methods we call or override.
METHODS = [
    ("Worker", "_ask", ["self"]),  # overridden: our checks run right after copier's questions
    ("Worker", "_cleanup", ["self"]),  # removes copier's clones of git sources
    ("Worker", "run_copy", ["self"]),
    ("Worker", "run_update", ["self"]),
]
# Class, attribute: properties (or cached properties) we read.
PROPERTIES = [
    ("Worker", "template"),
    ("Template", "questions_data"),
    ("Template", "local_abspath"),
    ("Template", "commit"),
    ("Template", "skip_if_exists"),
    ("AnswersMap", "combined"),
]
# Class, the dataclass fields we pass to its constructor or read from an instance.
FIELDS = {
    "Worker": {
        "src_path", "dst_path", "vcs_ref", "data", "user_defaults", "defaults", "overwrite", "quiet",
        "skip_tasks", "unsafe", "cleanup_on_error", "conflict", "answers",
    },
    "AnswersMap": {"hidden", "last"},
}  # fmt: skip
PRIVATE_NAMES = {f"{module}.{name}" for module, name in CLASSES.values()} | {
    name for _, name, _ in METHODS if name.startswith("_")
}


def _class(name: str) -> type:
    module, attribute = CLASSES[name]
    found = getattr(importlib.import_module(module), attribute)
    assert inspect.isclass(found)
    return found


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_class_is_where_we_import_it_from(name: str) -> None:
    _class(name)


@pytest.mark.parametrize(("owner", "method", "parameters"), METHODS, ids=[f"{c}.{m}" for c, m, _ in METHODS])
def test_method_exists_with_its_parameters(owner: str, method: str, parameters: list[str]) -> None:
    found = getattr(_class(owner), method)
    assert callable(found)
    assert list(inspect.signature(found).parameters) == parameters


@pytest.mark.parametrize(("owner", "attribute"), PROPERTIES, ids=[f"{c}.{a}" for c, a in PROPERTIES])
def test_property_exists(owner: str, attribute: str) -> None:
    found = inspect.getattr_static(_class(owner), attribute)
    assert hasattr(found, "__get__") and not inspect.isfunction(found), f"{owner}.{attribute} is no property"


@pytest.mark.parametrize("owner", sorted(FIELDS))
def test_dataclass_has_the_fields_we_use(owner: str) -> None:
    names = {field.name for field in dataclasses.fields(_class(owner))}
    assert FIELDS[owner] <= names, f"{owner} lost {sorted(FIELDS[owner] - names)}"


def _copy(root: Path, destination: Path, around_ask: AroundAsk) -> CopierRun:
    run = CopierRun.start(src_path=str(root), dst_path=destination, vcs_ref="HEAD",
                          data={"template": "api-service"}, user_defaults={}, defaults=True,
                          conflict="inline", around_ask=around_ask)  # fmt: skip
    try:
        run.copy()
    finally:
        run.cleanup()
    return run


def test_the_ask_hook_runs_once_between_the_questions_and_the_render(
    throwaway_template: Callable[..., Path], tmp_path: Path
) -> None:
    """Copier must still call `_ask` once per copy, before rendering, with every answer there when it
    returns: our checks (missing answers without a terminal) run at that point."""
    seen: list[dict[str, object]] = []

    def around_ask(run: CopierRun, ask: Callable[[], None]) -> None:
        ask()
        seen.append({name: run.answers[name] for name in run.questions})
        assert not (tmp_path / "out" / "README.md").exists()  # nothing rendered yet

    run = _copy(throwaway_template(), tmp_path / "out", around_ask)
    assert seen == [{"template": "api-service", "project_name": "out", "greeting": "hello"}]
    assert (tmp_path / "out" / "README.md").read_text() == "# out\nhello\n"
    assert run.commit is not None and run.commit.startswith("v1.0.0")
    assert set(run.questions) == {"template", "project_name", "greeting"}
    assert run.hidden == frozenset()
    assert run.data["template"] == "api-service"


def test_copier_validates_a_default_against_its_validator(
    throwaway_template: Callable[..., Path], tmp_path: Path
) -> None:
    """aiscaffold does not validate defaults again: copier's `_ask` must refuse one (project_name defaults
    to the folder name, and this template wants kebab-case), before anything is rendered."""

    def around_ask(run: CopierRun, ask: Callable[[], None]) -> None:
        with pytest.raises(ValueError, match="Validation error for question 'project_name': must be kebab"):
            ask()
        raise KeyboardInterrupt  # stop here, as an invalid answer does in aiscaffold

    with pytest.raises(KeyboardInterrupt):
        _copy(throwaway_template(), tmp_path / "Not_Kebab", around_ask)
    assert not (tmp_path / "Not_Kebab" / "README.md").exists()


def test_the_adapter_uses_no_private_name_outside_the_contract() -> None:
    source = ADAPTER.read_text()
    imported = {
        f"{module}.{name}" for module, name in re.findall(r"from (copier\._\w+) import (\w+)", source)
    }
    # Every `._name` left once the private module paths are gone is an attribute of copier's objects,
    # except the adapter's own handle on the worker.
    attributes = set(re.findall(r"\.(_[a-z]\w*)", re.sub(r"copier\._\w+", "", source))) - {"_worker"}
    assert imported <= PRIVATE_NAMES, imported - PRIVATE_NAMES
    assert attributes <= PRIVATE_NAMES, attributes - PRIVATE_NAMES


@pytest.mark.parametrize("module", sorted(path.name for path in SOURCE.glob("*.py") if path != ADAPTER))
def test_no_other_module_reaches_into_copier(module: str) -> None:
    source = (SOURCE / module).read_text()
    assert not re.search(r"copier\._\w+", source), f"{module} uses a private copier module"
    assert not re.search(r"\._(ask|render_context|cleanup)\(", source), f"{module} calls a private method"
