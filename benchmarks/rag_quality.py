"""Retrieval quality of a generated rag-app on text nobody here wrote, next to BM25 in the same run.

The text is the standard library's docstrings (see `outside_corpus.py`: the question is a docstring's
summary sentence, the document is the rest of it). Built once per Python build and builder version into
a cache folder under the system temp directory, then reused.

- **BM25**, the field's standard baseline: `bm25s` over whole documents, English stop words, its default
  parameters (no stemming, no tuning). hit@1, hit@5, MRR@10 (reciprocal rank of the expected document
  within the top 10, else 0) and the median time of one query.
- **The generated app**, once per configuration (a set of its environment variables, e.g.
  `RETRIEVAL=dense`): its own `<slug> eval --docs ... --questions ... --json`, run with uv in the project,
  at `--k 10` (hit@1, MRR@10) and `--k 5` (hit@5), each run timed end to end (start-up, ingestion, all
  questions). The app ranks documents by their best passage (chunks of ~800 characters), BM25 whole
  documents.

`bm25s` is not a dependency of aiscaffold; `uv run --with bm25s` adds it for one run, and only this
module imports it:

    uv run --with bm25s python benchmarks/rag_quality.py --project /tmp/ragdemo \\
        [--configs retrieval=sparse retrieval=dense,embedder=wordllama] [--limit 1000] [--out table.md]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from outside_corpus import build_corpus, shares_name_word

CACHE_ROOT = Path(tempfile.gettempdir()) / "aiscaffold-rag-quality"
BUILDER = Path(__file__).resolve().with_name("outside_corpus.py")
TOP = 10
EVAL_TIMEOUT_S = 3600.0


@dataclass(frozen=True, slots=True)
class Question:
    """A question and the file name (relative to docs/) of the document that answers it."""

    question: str
    source: str


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the result table."""

    name: str
    hit_at_1: float
    hit_at_5: float
    mrr_at_10: float
    seconds: float


@dataclass(frozen=True, slots=True)
class Project:
    """A generated rag-app: where it is, its command, its settings' prefix and its embedder answer."""

    folder: Path
    slug: str
    env_prefix: str
    embeddings: str

    @classmethod
    def read(cls, folder: Path) -> Project:
        """Read the project from the answers copier left in it (one fact, one place)."""
        answers = yaml.safe_load((folder / ".copier-answers.yml").read_text(encoding="utf-8"))
        prefix = f"{str(answers['package_name']).upper()}_"
        return cls(folder, str(answers["project_slug"]), prefix, str(answers.get("embeddings", "hashing")))


def say(line: str) -> None:
    """One line on stdout, flushed so progress shows while a long run goes on."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# --- the corpus ---


def corpus_folder(limit: int) -> Path:
    """The corpus for this Python and this builder, built on first use into the cache and reused after."""
    key = hashlib.sha256(BUILDER.read_bytes() + sys.version.encode() + str(limit).encode()).hexdigest()[:12]
    folder = CACHE_ROOT / f"py{platform.python_version()}-{key}"
    if (folder / "manifest.json").exists():
        return folder
    CACHE_ROOT.mkdir(parents=True, exist_ok=True)
    say(f"building the corpus into {folder} (about a minute, once)")
    # Built aside and renamed: an interrupted build never passes for a finished one.
    staging = Path(tempfile.mkdtemp(dir=CACHE_ROOT, prefix="building-"))
    build_corpus(staging, limit)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder


def load_questions(folder: Path) -> list[Question]:
    """The questions of a corpus, in file order."""
    lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [Question(**json.loads(line)) for line in lines if line.strip()]


# --- BM25 ---


def _bm25s() -> Any:
    """The bm25s module, imported here only, so that it never becomes a dependency of aiscaffold."""
    try:
        return importlib.import_module("bm25s")
    except ModuleNotFoundError:
        sys.exit("bm25s is missing: run this script with `uv run --with bm25s python ...`")


def bm25_rankings(folder: Path, questions: Sequence[Question]) -> tuple[list[list[str]], list[float], float]:
    """(top-10 file names per question, seconds per query, seconds to index) with bm25s' defaults."""
    bm25s = _bm25s()
    paths = sorted((folder / "docs").glob("*.md"))
    names = [path.name for path in paths]
    start = time.perf_counter()
    retriever = bm25s.BM25()
    texts = [path.read_text(encoding="utf-8") for path in paths]
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    index_seconds = time.perf_counter() - start
    rankings, timings = [], []
    for item in questions:
        start = time.perf_counter()
        tokens = bm25s.tokenize([item.question], stopwords="en", show_progress=False)
        found, _scores = retriever.retrieve(tokens, k=TOP, show_progress=False)
        timings.append(time.perf_counter() - start)
        rankings.append([names[int(index)] for index in found[0]])
    return rankings, timings, index_seconds


def score(rankings: Sequence[Sequence[str]], questions: Sequence[Question]) -> tuple[float, float, float]:
    """(hit@1, hit@5, MRR@10) of ranked file names against the expected ones."""
    hit1 = hit5 = reciprocal = 0.0
    for ranking, item in zip(rankings, questions, strict=True):
        top = list(ranking[:TOP])
        rank = top.index(item.source) + 1 if item.source in top else None
        hit1 += rank == 1
        hit5 += rank is not None and rank <= 5
        reciprocal += 1 / rank if rank else 0.0
    count = len(questions) or 1
    return hit1 / count, hit5 / count, reciprocal / count


# --- the generated app ---


def default_configs(project: Project) -> list[dict[str, str]]:
    """Sparse, then dense and hybrid with the hashing embedder, and with wordllama if the project has it.

    The embedder is always named: a wordllama project defaults to wordllama, a hashing one to hashing.
    """
    embedders = ["hashing", "wordllama"] if project.embeddings == "wordllama" else ["hashing"]
    configs = [{"RETRIEVAL": "sparse"}]
    for embedder in embedders:
        configs += [{"RETRIEVAL": mode, "EMBEDDER": embedder} for mode in ("dense", "hybrid")]
    return configs


def parse_config(text: str) -> dict[str, str]:
    """`retrieval=dense,embedder=wordllama` as a mapping of setting names (without prefix) to values."""
    pairs = (item.split("=", 1) for item in text.split(",") if item.strip())
    return {key.strip().upper(): value.strip() for key, value in pairs}


def label(config: dict[str, str]) -> str:
    """How a configuration reads in the table: `app retrieval=dense embedder=wordllama`."""
    return "app " + " ".join(f"{key.lower()}={value}" for key, value in config.items())


def _environment(project: Project, config: dict[str, str]) -> dict[str, str]:
    """Our environment without the app's own settings (only the configuration counts) or our venv."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(project.env_prefix)}
    # uv would warn that our VIRTUAL_ENV is not the project's; the project's own venv must be used.
    env.pop("VIRTUAL_ENV", None)
    return env | {f"{project.env_prefix}{key}": value for key, value in config.items()}


def why_eval_cannot_run(project: Project) -> str | None:
    """None when the project's `eval` takes an outside corpus (`--docs`), else the reason in a few words."""
    result = subprocess.run(
        ["uv", "run", project.slug, "eval", "--help"],
        cwd=project.folder,
        env=_environment(project, {}),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return f"`uv run {project.slug} eval --help` failed in {project.folder} ({last})"
    if "--docs" not in result.stdout:
        return f"`{project.slug} eval` has no --docs option yet in {project.folder}"
    return None


def _last_json(stdout: str) -> dict[str, Any]:
    """The JSON object the command printed (the last line that is one, in case logs came first)."""
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            parsed = json.loads(line)
            if isinstance(parsed, dict):
                return parsed
    return dict(json.loads(stdout))


def run_eval(project: Project, config: dict[str, str], corpus: Path, k: int) -> tuple[dict[str, Any], float]:
    """(the report the app printed, wall seconds) of one `eval --json` run; RuntimeError if it failed."""
    command = ["uv", "run", project.slug, "eval", "--docs", str(corpus / "docs")]
    command += ["--questions", str(corpus / "questions.jsonl"), "--k", str(k), "--json"]
    start = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=project.folder,
        env=_environment(project, config),
        capture_output=True,
        text=True,
        timeout=EVAL_TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"exit {result.returncode}: {last}")
    return _last_json(result.stdout), seconds


def app_row(project: Project, config: dict[str, str], corpus: Path) -> Row:
    """The app's row: hit@1 and MRR from the k=10 run, hit@5 from the k=5 run, seconds of the k=10 run."""
    at_10, seconds = run_eval(project, config, corpus, TOP)
    at_5, _ = run_eval(project, config, corpus, 5)
    return Row(label(config), at_10["hit_at_1"], at_5["hit_at_k"], at_10["mrr"], seconds)


# --- report ---


def table(rows: Sequence[Row]) -> list[str]:
    """The rows as a markdown table."""
    lines = ["| retriever | hit@1 | hit@5 | MRR@10 | seconds |", "| --- | ---: | ---: | ---: | ---: |"]
    for row in rows:
        figures = f"{row.hit_at_1:.3f} | {row.hit_at_5:.3f} | {row.mrr_at_10:.3f} | {row.seconds:.1f}"
        lines.append(f"| {row.name} | {figures} |")
    return lines


def describe(corpus: Path, questions: Sequence[Question]) -> str:
    """One line saying what the figures were measured on."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    return (
        f"{manifest['documents']} documents ({manifest['document_words']} words) and {len(questions)}"
        f" questions from the docstrings of {manifest['implementation']} {manifest['python']}"
        f" ({manifest['platform']}); corpus: {corpus}"
    )


def bm25_rows(corpus: Path, questions: Sequence[Question]) -> tuple[Row, list[str]]:
    """BM25's row, and notes: its query time, and its figures without the questions that name the object."""
    rankings, timings, index_seconds = bm25_rankings(corpus, questions)
    row = Row("BM25 (bm25s, defaults)", *score(rankings, questions), index_seconds + sum(timings))
    blind = [
        (ranking, item)
        for ranking, item in zip(rankings, questions, strict=True)
        if not shares_name_word(item.question, item.source.removesuffix(".md"))
    ]
    hit1, hit5, mrr = score([ranking for ranking, _ in blind], [item for _, item in blind])
    notes = [
        f"BM25: median query {statistics.median(timings) * 1000:.2f} ms, index {index_seconds:.2f} s.",
        f"BM25 on the {len(blind)} questions sharing no word with the object's dotted name:"
        f" hit@1 {hit1:.3f}, hit@5 {hit5:.3f}, MRR@10 {mrr:.3f}.",
    ]
    return row, notes


def main() -> None:
    """Measure BM25 and each app configuration on the corpus; print the table, and write it if asked."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="a generated rag-app")
    parser.add_argument("--configs", nargs="+", metavar="NAME=VALUE[,NAME=VALUE]", help="app settings")
    parser.add_argument("--limit", type=int, default=1000, help="most documents in the corpus")
    parser.add_argument("--out", type=Path, help="also write the table here (markdown)")
    args = parser.parse_args()
    corpus = corpus_folder(args.limit)
    questions = load_questions(corpus)
    say(describe(corpus, questions))
    bm25, notes = bm25_rows(corpus, questions)
    rows = [bm25]
    for note in notes:
        say(note)
    project = Project.read(args.project.resolve())
    if reason := why_eval_cannot_run(project):
        say(f"{reason}: BM25 only.")
    else:
        configs = [parse_config(text) for text in args.configs] if args.configs else default_configs(project)
        for config in configs:
            try:
                rows.append(app_row(project, config, corpus))
                say(f"{label(config)}: done in {rows[-1].seconds:.1f} s (k=10 run)")
            except (RuntimeError, subprocess.TimeoutExpired, KeyError, ValueError) as error:
                say(f"{label(config)}: failed ({error})")
    lines = table(rows)
    say("\n".join(lines))
    if args.out:
        footer = [
            "",
            describe(corpus, questions),
            "Seconds: BM25 index + all queries; app: one `eval --k 10` run end to end.",
            *notes,
        ]
        args.out.write_text("\n".join([*lines, *footer]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
