"""`aiscaffold list TEMPLATE`: a template's questions without reading YAML, the keys `--data` takes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiscaffold.catalog import Template, bundled_catalog
from aiscaffold.cli import app
from aiscaffold.questions import questions_of
from aiscaffold.sources import bundled_root

runner = CliRunner()
AISCAFFOLD = str(Path(sys.executable).with_name("aiscaffold"))


def listed(template: str) -> tuple[int, str]:
    result = runner.invoke(app, ["list", template], env={"CI": "true", "COLUMNS": "200"})
    return result.exit_code, result.output


def test_a_template_s_questions_show_their_values_defaults_and_conditions() -> None:
    code, output = listed("api-service")

    assert code == 0, output
    lines = output.splitlines()
    metrics = lines.index(next(line for line in lines if line.strip().startswith("metrics ")))
    assert lines[metrics + 1 : metrics + 3] == ["      default: true", "      values: true, false"]
    assert "      none     None (put it behind your gateway)" in lines  # auth: each value with its label
    assert "      asked when: ci_provider != 'none'" in lines  # template_updates
    assert "embeddings" not in output  # rag-app's
    assert "  template " not in output  # TEMPLATE is the argument, not a question to answer


def test_a_condition_on_the_template_and_another_answer_is_decided_where_it_can_be() -> None:
    # word_vectors: `template == 'nlp-pipeline' and features == 'embeddings'`.
    code, output = listed("nlp-pipeline")
    assert code == 0, output
    assert "      asked when: template == 'nlp-pipeline' and features == 'embeddings'" in output.splitlines()

    for other in ("api-service", "rag-app"):
        code, output = listed(other)
        assert code == 0, output
        assert "word_vectors" not in output


def test_an_unknown_template_is_a_usage_error() -> None:
    code, output = listed("web-app")

    assert code == 2
    assert "unknown template 'web-app'" in output


@pytest.mark.parametrize("template", list(bundled_catalog().values()), ids=lambda template: template.name)
def test_every_listed_key_is_one_new_accepts_for_that_template(template: Template, tmp_path: Path) -> None:
    questions = questions_of(template, bundled_root())
    data = []
    for question in questions:
        if question.derived or question.default is None:
            continue
        value = str(question.default).lower() if isinstance(question.default, bool) else str(question.default)
        data += ["--data", f"{question.name}={value}"]

    result = runner.invoke(
        app,
        ["new", template.name, str(tmp_path / "p"), "--defaults", "--no-install", "--no-git", *data],
        env={"CI": "true"},
    )

    assert result.exit_code == 0, result.output
    assert len(data) // 2 >= len(questions) - 4  # all but the derived ones (name, slug, package, description)


def test_the_shell_completes_template_names() -> None:
    words = {"COMP_WORDS": "aiscaffold new r", "COMP_CWORD": "2"}
    env = {**os.environ, "_AISCAFFOLD_COMPLETE": "complete_bash", **words}
    completed = subprocess.run([AISCAFFOLD], env=env, capture_output=True, text=True, check=False)

    assert completed.stdout.split() == ["rag-app"]
