"""Add a template to aiscaffold: a copy of templates/_skeleton/, its catalog entry, and copier.yml in step.

    uv run python scripts/new_template.py NAME --description "One line: what the project does"
        [--kind batch] [--default-folder FOLDER] [--root .]

The skeleton is a minimal batch job on the shared base (settings, logging, Dockerfile, compose, CI,
pre-commit, README, AGENTS.md and tests, all included from templates/_shared/), and passes its own gates as
it is. The script then writes the template's facts to templates/catalog.toml and rewrites the parts of
copier.yml that repeat them (the `template` choices, the `description` default, which templates are asked
`auth`), so `copier copy` offers the new template too. Nothing else changes: the tests read the catalog.

Only `--kind batch` has a skeleton so far; a server needs its app, health probes and Kubernetes manifests,
for which api-service is the reference (templates/_shared/README.md lists the parts).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SKELETON = Path("templates") / "_skeleton"
CATALOG = Path("templates") / "catalog.toml"
KINDS_WITH_A_SKELETON = ("batch",)

# The blocks of copier.yml that repeat catalog facts, each found by what precedes it.
_CHOICES = re.compile(r"(?m)(^template:\n(?:  .*\n)*?  choices:\n)((?:    .*\n)+)")
_DESCRIPTION = re.compile(r"(?m)(^description:\n(?:  .*\n)*?  default: >-\n)((?:    .*\n)+)")
_AUTH_WHEN = re.compile(r"(?m)(^auth:\n(?:  .*\n)*?  when: )(.*\n)")


def synced_copier_yml(text: str, catalog: Mapping[str, Mapping[str, str]]) -> str:
    """copier.yml ``text`` with its choices, description default and `auth` condition from ``catalog``."""
    choices = "".join(f'    "{name}: {facts["description"]}": {name}\n' for name, facts in catalog.items())
    branches = [
        ("{%- elif" if index else "{% if") + f' template == "{name}" %}}{facts["description"]}'
        for index, (name, facts) in enumerate(catalog.items())
    ]
    default = "".join(f"    {branch}\n" for branch in branches) + "    {%- endif %}\n"
    servers = ", ".join(f"'{name}'" for name, facts in catalog.items() if facts["kind"] == "server")
    when = f'"{{{{ template in [{servers}] }}}}"\n'
    for pattern, replacement in ((_CHOICES, choices), (_DESCRIPTION, default), (_AUTH_WHEN, when)):
        text, count = pattern.subn(_after_first_group(replacement), text)
        if count != 1:
            raise SystemExit(f"copier.yml: cannot find the block {pattern.pattern!r}")
    return text


def _after_first_group(replacement: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + replacement


def catalog_entry(name: str, *, description: str, kind: str, default_folder: str) -> str:
    """The TOML table of one template (descriptions are one line; quotes and backslashes escaped)."""
    quoted = description.replace("\\", "\\\\").replace('"', '\\"')
    return f'\n[{name}]\ndescription = "{quoted}"\nkind = "{kind}"\ndefault_folder = "{default_folder}"\n'


def add_template(root: Path, name: str, *, description: str, kind: str, default_folder: str) -> Path:
    """Copy the skeleton to templates/NAME, add its catalog entry, rewrite copier.yml; return the folder."""
    if not NAME.match(name):
        raise SystemExit(f"{name!r}: a template name is kebab-case, e.g. ml-batch")
    if kind not in KINDS_WITH_A_SKELETON:
        raise SystemExit(f"no skeleton for a {kind} template yet: copy api-service's server parts by hand")
    if "\n" in description or not description.strip():
        raise SystemExit("the description is one non-empty line")
    folder = root / "templates" / name
    catalog_path = root / CATALOG
    if folder.exists() or name in tomllib.loads(catalog_path.read_text(encoding="utf-8")):
        raise SystemExit(f"templates/{name} already exists")
    shutil.copytree(root / SKELETON, folder, ignore=shutil.ignore_patterns("__pycache__"))
    entry = catalog_entry(name, description=description, kind=kind, default_folder=default_folder)
    catalog_path.write_text(catalog_path.read_text(encoding="utf-8") + entry, encoding="utf-8")
    catalog = tomllib.loads(catalog_path.read_text(encoding="utf-8"))
    copier_yml = root / "copier.yml"
    copier_yml.write_text(
        synced_copier_yml(copier_yml.read_text(encoding="utf-8"), catalog), encoding="utf-8"
    )
    return folder


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, add the template, say what to do next."""
    parser = argparse.ArgumentParser(
        prog="scripts/new_template.py", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("name", help="the template's name, kebab-case (its folder under templates/)")
    parser.add_argument("--description", required=True, help="one line: what the generated project does")
    parser.add_argument("--kind", choices=["batch", "server"], default="batch", help="(default: %(default)s)")
    parser.add_argument("--default-folder", help="the destination aiscaffold suggests (default: NAME)")
    parser.add_argument("--root", type=Path, default=Path(), help="the aiscaffold checkout (default: .)")
    options = parser.parse_args(argv)
    folder = add_template(
        options.root,
        options.name,
        description=options.description,
        kind=options.kind,
        default_folder=options.default_folder or options.name,
    )
    print(f"Added {folder}, its entry in {CATALOG} and its choice in copier.yml. Next:")
    print("  AISCAFFOLD_UPDATE_SNAPSHOTS=1 uv run pytest tests/templates/test_render.py -k snapshot -n 2")
    print(f"  uv run aiscaffold new {options.name} /tmp/try-it --verify   # the new template's own gates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
