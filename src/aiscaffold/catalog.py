"""The templates aiscaffold can generate, read from ``templates/catalog.toml``: their one place.

Each template's name (its folder under ``templates/``), one-line description, kind (server or batch) and
suggested folder live in that file, which ships with the templates. copier.yml cannot read it, so its
``template`` choices and ``description`` default repeat two of the facts; a test keeps them in step, and
``scripts/new_template.py`` writes both when it adds a template.

TOML rather than YAML: ``tomllib`` is in the standard library and cheap to import, while ``aiscaffold
--help`` must not load PyYAML (tests/unit/test_startup.py). The file is read on first use, not on import.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from aiscaffold.errors import TemplateSourceError, UnknownTemplateError

Kind = Literal["server", "batch"]
CATALOG_FILE = Path("templates") / "catalog.toml"


@dataclass(frozen=True)
class Template:
    """A template under ``templates/``.

    Attributes:
        name: The folder's name, and the answer to copier's ``template`` question.
        description: One line that says what the generated project does.
        kind: ``server`` (answers HTTP, has health probes and Kubernetes manifests) or ``batch``.
        default_folder: The destination suggested when the user is asked where the project goes.
    """

    name: str
    description: str
    kind: Kind
    default_folder: str

    @property
    def is_server(self) -> bool:
        return self.kind == "server"


def load_catalog(root: Path) -> dict[str, Template]:
    """The templates of the template root ``root`` (the folder holding copier.yml), by name, in file order.

    Raises:
        TemplateSourceError: The catalog is missing or an entry lacks a fact or has an unknown kind.
    """
    path = root / CATALOG_FILE
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise TemplateSourceError(f"cannot read the template catalog {path}: {error}") from None
    return {name: _entry(path, name, facts) for name, facts in entries.items()}


def _entry(path: Path, name: str, facts: Mapping[str, object]) -> Template:
    description, kind, folder = (facts.get(key) for key in ("description", "kind", "default_folder"))
    if not (isinstance(description, str) and isinstance(folder, str) and kind in get_args(Kind)):
        raise TemplateSourceError(
            f"{path}: [{name}] needs description, kind ({' or '.join(get_args(Kind))}) and default_folder"
        )
    return Template(name, description, kind, folder)  # type: ignore[arg-type]  # kind checked just above


@cache
def bundled_catalog() -> dict[str, Template]:
    """The templates that ship with this aiscaffold."""
    from aiscaffold.sources import bundled_root  # noqa: PLC0415 - sources loads yaml; --help must not

    return load_catalog(bundled_root())


def catalog_for(location: str) -> dict[str, Template]:
    """The templates of a template source: a local root's own catalog, else (a git URL) the bundled one."""
    root = Path(location)
    if root.is_dir() and (root / CATALOG_FILE).is_file():
        return load_catalog(root)
    return bundled_catalog()


def parse_template(name: str, catalog: Mapping[str, Template] | None = None) -> Template:
    """Return the template called ``name`` (from the bundled catalog unless one is given).

    Raises:
        UnknownTemplateError: No template has that name; the hint lists the valid ones.
    """
    templates = bundled_catalog() if catalog is None else catalog
    if name in templates:
        return templates[name]
    raise UnknownTemplateError(
        f"unknown template {name!r}", hint=f"choose one of: {', '.join(templates)} (see `aiscaffold list`)"
    )
