"""--data and --answers-file parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiscaffold.answers import load_answers_file, parse_data_options
from aiscaffold.errors import AnswersFileError, InvalidAnswerError


def test_data_options_split_on_the_first_equals() -> None:
    assert parse_data_options(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}


@pytest.mark.parametrize("option", ["novalue", "=x", " =x"])
def test_data_options_need_a_key(option: str) -> None:
    with pytest.raises(InvalidAnswerError):
        parse_data_options([option])


def test_answers_file_drops_copier_metadata(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_text("_src_path: /x\n_commit: v1\nproject_name: churn\ninclude_docker: false\n")
    assert load_answers_file(path) == {"project_name": "churn", "include_docker": False}


def test_empty_answers_file_is_no_answers(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_text("")
    assert load_answers_file(path) == {}


@pytest.mark.parametrize("text", ["[1, 2]", "just a string", "a: [unclosed", "1: x"])
def test_answers_file_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    path = tmp_path / "answers.yml"
    path.write_text(text)
    with pytest.raises(AnswersFileError):
        load_answers_file(path)


def test_missing_answers_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersFileError, match="cannot read"):
        load_answers_file(tmp_path / "nope.yml")
