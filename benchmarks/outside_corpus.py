"""A known-item retrieval set from the docstrings of the running Python's standard library.

Quality figures must come from text nobody on this project wrote; the standard library's docstrings are
such text, ship with every Python (no download), and come with a natural question for every document:
the one-sentence summary line that PEP 257 asks a docstring to start with.

How the set is built, and why:

- **Modules.** Every public module of `sys.stdlib_module_names` and its public submodules, found on the
  file system without importing anything. Skipped: private modules, tests, GUI and demo packages
  (`idlelib`, `tkinter`, `turtle`, `turtledemo`), modules that act on import (`antigravity` opens a browser,
  `this` prints) and the codec tables under `encodings` (generated boilerplate, no prose).
- **Import.** Each module is imported in its own child process (`python -S -P`: no site-packages, so
  setuptools cannot swap in its own `distutils`, and no script folder on the path), with stdin, stdout and
  stderr closed, its working directory in a throwaway folder, warnings off, a fixed hash seed and a
  timeout: a module that prints, waits for input, writes files or hangs cannot touch the run. A module
  that fails to import or times out is counted and skipped.
- **Objects.** Public functions and classes a module defines (its `__all__`, else its public names),
  including those implemented by a private accelerator (`heapq.heappush` lives in `_heapq`), but not
  re-exports of another public module (`os.stat` is `posix.stat`); and the public methods a class defines
  itself (`vars(cls)`, so inherited docstrings do not repeat).
- **Question and document.** The QUESTION is the docstring's summary: the first sentence of its first
  paragraph (4 to 40 words), or the whole first paragraph when it is one line without a full stop. Taking
  the first sentence rather than demanding a one-sentence paragraph keeps the many docstrings that wrap
  their summary or run on into a second sentence (about 890 items instead of 650 on CPython 3.11). A
  leading paragraph that is only a call signature (old C docstrings: `dumps(obj) -> bytes`) becomes the
  signature and the summary is read after it. The DOCUMENT is the rest of the docstring, at least 40
  words, as `<qualified.name>.md`: a `# <qualified.name>` heading, the signature when there is one, then
  that body; the summary sentence itself never appears in it.
- **Duplicates.** A question shared by several objects is ambiguous, so every object carrying it is
  dropped; of objects with an identical body (aliases, re-exports) the first by name is kept.
- **Sample.** At most `limit` documents: those whose sha256(qualified name) is smallest. This spreads the
  sample over the whole library (alphabetical order would stop in the middle of the letter "e"), and a
  new Python version that adds or drops objects does not reshuffle the ones both versions have.
- **Determinism.** Memory addresses (`<object at 0x7f...>` in signatures) are masked; everything is
  sorted. The same Python build gives byte-identical output; `manifest.json` records the version, the
  platform and the count after every step.

Known weakness, measured in the manifest: the heading is the object's name, and a question often repeats
a word of it ("Serialize obj to a JSON formatted str." for `json.dumps`), which favours lexical retrieval.

    uv run python benchmarks/outside_corpus.py /tmp/stdlib-corpus [--limit 1000]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import importlib
import importlib.util
import inspect
import json
import os
import pkgutil
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

MIN_QUESTION_WORDS = 4
MIN_BODY_WORDS = 40
# A longer "sentence" is a paragraph the sentence splitter could not cut.
MAX_QUESTION_WORDS = 40
IMPORT_TIMEOUT_S = 30.0
# Modules that are GUI, demos or tests, or that do something when imported.
SKIPPED_PARTS = frozenset(
    {"test", "tests", "idle_test", "idlelib", "tkinter", "turtle", "turtledemo", "antigravity", "this"}
)
# Codec tables: a hundred generated modules, no prose.
SKIPPED_PACKAGES = ("encodings.",)
_CHILD_LIST = "--child-list"
_CHILD_EXTRACT = "--child-extract"
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_CALL_LINE = re.compile(r"^[A-Za-z_][\w.]*\(.*\)(\s*->\s*.+)?$")
# A full stop, then a capital: "e.g. the" or "Decimal.from_float(0.1)" do not end a sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`'\"(])")


@dataclass(frozen=True, slots=True)
class RawDoc:
    """What a child process reports for one object: its name, signature and untouched docstring."""

    name: str
    signature: str | None
    doc: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One known item: the question and the document that answers it."""

    name: str
    signature: str | None
    question: str
    body: str

    @property
    def file_name(self) -> str:
        """The document's file name, which is also its `source` in questions.jsonl."""
        return f"{self.name}.md"

    def markdown(self) -> str:
        """The document: heading, signature when known, then the docstring without its summary."""
        parts = [f"# {self.name}"]
        if self.signature:
            parts.append(f"`{self.signature}`")
        parts.append(self.body)
        return "\n\n".join(parts) + "\n"


@dataclass(frozen=True, slots=True)
class Manifest:
    """How a corpus was built: the interpreter, and how many items survived each step."""

    python: str
    implementation: str
    platform: str
    limit: int
    modules_listed: int
    modules_imported: int
    modules_failed: list[str]
    objects_with_docstring: int
    with_summary_and_body: int
    after_duplicate_questions: int
    after_duplicate_bodies: int
    documents: int
    questions: int
    document_words: int
    question_words: int
    questions_naming_object: float
    questions_naming_module_or_object: float


# --- child process: runs inside `python -S -P`, talks to the parent through a JSON file ---


def _wanted(name: str) -> bool:
    """Whether a module name is public, not a test/GUI/demo, and safe to import."""
    parts = name.split(".")
    if any(part.startswith("_") or part in SKIPPED_PARTS for part in parts):
        return False
    return not name.startswith(SKIPPED_PACKAGES)


def _submodules(package: str, paths: Iterable[str]) -> Iterator[str]:
    """Public submodules of `package`, read from the file system (importing would run the package)."""
    for path in paths:
        for info in pkgutil.iter_modules([path], prefix=f"{package}."):
            if not _wanted(info.name):
                continue
            yield info.name
            if info.ispkg:
                yield from _submodules(info.name, [str(Path(path) / info.name.rpartition(".")[2])])


def list_modules() -> list[str]:
    """The public standard-library modules of this interpreter, sorted; none is imported."""
    names: set[str] = set()
    for top in sys.stdlib_module_names:
        # find_spec of a top-level name locates it without executing it.
        spec = importlib.util.find_spec(top) if _wanted(top) else None
        if spec is None:
            continue
        names.add(top)
        names.update(_submodules(top, spec.submodule_search_locations or []))
    return sorted(names)


def _defined_here(obj: object, module: ModuleType) -> bool:
    """Defined by `module` or by a private module behind it (`_heapq` behind `heapq`), not re-exported."""
    owner = getattr(obj, "__module__", None)
    if not isinstance(owner, str):
        return False
    return owner == module.__name__ or any(part.startswith("_") for part in owner.split("."))


def _public_members(module: ModuleType) -> Iterator[tuple[str, object]]:
    """(name, object) of the public classes and functions `module` defines."""
    exported = getattr(module, "__all__", None)
    names = exported if isinstance(exported, list | tuple) else dir(module)
    for name in sorted({str(name) for name in names}):
        obj = getattr(module, name, None)
        is_api = inspect.isclass(obj) or inspect.isroutine(obj)
        if not name.startswith("_") and is_api and _defined_here(obj, module):
            yield name, obj


def _methods(cls: type) -> Iterator[tuple[str, object]]:
    """(name, routine) of the public methods `cls` defines itself (inherited ones would repeat docs)."""
    for name, member in sorted(vars(cls).items()):
        routine = member.__func__ if isinstance(member, classmethod | staticmethod) else member
        if not name.startswith("_") and inspect.isroutine(routine):
            yield name, routine


def _signature(name: str, obj: object) -> str | None:
    try:
        return f"{name}{inspect.signature(obj)}"  # type: ignore[arg-type]
    except (TypeError, ValueError):  # many C objects have none
        return None


def _raw(name: str, obj: object) -> RawDoc | None:
    doc = getattr(obj, "__doc__", None)
    return RawDoc(name, _signature(name, obj), doc) if isinstance(doc, str) and doc.strip() else None


def extract(module_name: str) -> list[RawDoc]:
    """Docstrings of the public API of one module (imports it: call in a child process)."""
    module = importlib.import_module(module_name)
    found = []
    for name, obj in _public_members(module):
        qualified = f"{module_name}.{name}"
        found.append(_raw(qualified, obj))
        if isinstance(obj, type):
            found.extend(_raw(f"{qualified}.{method}", routine) for method, routine in _methods(obj))
    return [raw for raw in found if raw is not None]


def _child_main(mode: str, argument: str, out: Path) -> None:
    """Entry point of a child: list the modules, or extract one, into the JSON file `out`."""
    if mode == _CHILD_LIST:
        result: object = list_modules()
    else:
        result = [dataclasses.asdict(raw) for raw in extract(argument)]
    out.write_text(json.dumps(result), encoding="utf-8")


# --- parent: runs children, turns docstrings into questions and documents ---


def _run_child(mode: str, argument: str, work: Path) -> object | None:
    """Run one child and return what it wrote, or None if it failed, hung or wrote nothing."""
    out = work / f"{mode.strip('-')}-{argument}.json"
    command = [sys.executable, "-S", "-P", "-W", "ignore", str(Path(__file__).resolve())]
    command += [mode, argument, str(out)]
    # Signatures show defaults, some of them `os.environ` itself (cgi.parse): the child gets a fixed,
    # minimal environment, with a fixed hash seed so that set reprs are stable too.
    env = {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"}
    try:
        subprocess.run(
            command,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=IMPORT_TIMEOUT_S,
            check=True,
        )
        return json.loads(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (subprocess.SubprocessError, OSError, ValueError):
        return None


def _harvest(work: Path) -> tuple[list[str], list[str], list[RawDoc]]:
    """(modules listed, modules that failed, raw docstrings) from one child per module, run in parallel."""
    listed = _run_child(_CHILD_LIST, "all", work)
    if not isinstance(listed, list):
        raise RuntimeError("could not list the standard library's modules")
    modules = [str(name) for name in listed]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda name: _run_child(_CHILD_EXTRACT, name, work), modules))
    failed = [name for name, result in zip(modules, results, strict=True) if not isinstance(result, list)]
    raws = [RawDoc(**item) for result in results if isinstance(result, list) for item in result]
    return modules, failed, sorted(raws, key=lambda raw: raw.name)


def _paragraphs(doc: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", inspect.cleandoc(doc)) if part.strip()]


def _is_call_signature(paragraph: str) -> bool:
    return all(_CALL_LINE.match(line.strip()) for line in paragraph.splitlines())


def _split_summary(paragraphs: list[str]) -> tuple[str, str] | None:
    """(summary sentence, the rest of the docstring), or None when the docstring opens with no sentence.

    The summary is the first sentence of the first paragraph (PEP 257's summary line, also when a
    docstring wraps it or runs on into a second sentence), or a whole one-line first paragraph that lacks
    the full stop ("IMAP4 client class over SSL connection").
    """
    lines = paragraphs[0].splitlines()
    flat = " ".join(line.strip() for line in lines)
    end = _SENTENCE_END.search(flat)
    if end:
        summary, rest = flat[: end.start()], flat[end.end() :]
    elif flat.endswith((".", "!", "?")) or len(lines) == 1:
        summary, rest = flat, ""
    else:
        return None
    # "->" is a signature in disguise ("uri [,options] -> a logical connection"); ":" announces a list.
    if "->" in summary or summary.endswith(":"):
        return None
    return summary.replace("``", ""), "\n\n".join([rest, *paragraphs[1:]] if rest else paragraphs[1:])


def to_entry(raw: RawDoc) -> Entry | None:
    """The known item of one docstring, or None when it has no summary sentence and a long enough body."""
    paragraphs = _paragraphs(_ADDRESS.sub("0x…", raw.doc))
    signature = raw.signature and _ADDRESS.sub("0x…", raw.signature)
    if len(paragraphs) > 1 and _is_call_signature(paragraphs[0]):
        signature = signature or " ".join(paragraphs[0].split())
        paragraphs = paragraphs[1:]
    split = _split_summary(paragraphs) if paragraphs and not _is_call_signature(paragraphs[0]) else None
    if split is None:
        return None
    question, body = split
    # C struct sequences open with their own name ("stat_result: Result from stat..."): a free match.
    question = question.removeprefix(f"{raw.name.rpartition('.')[2]}: ")
    if not MIN_QUESTION_WORDS <= len(question.split()) <= MAX_QUESTION_WORDS:
        return None
    if len(body.split()) < MIN_BODY_WORDS:
        return None
    return Entry(raw.name, signature, question, body)


def deduplicate(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(entries without shared questions, those also without repeated bodies), both sorted by name."""
    question_counts = Counter(entry.question.casefold() for entry in entries)
    unique_questions = [entry for entry in entries if question_counts[entry.question.casefold()] == 1]
    seen_bodies: set[str] = set()
    unique_bodies = []
    for entry in unique_questions:
        if entry.body not in seen_bodies:
            seen_bodies.add(entry.body)
            unique_bodies.append(entry)
    return unique_questions, unique_bodies


def sample(entries: list[Entry], limit: int) -> list[Entry]:
    """At most `limit` entries, chosen by hash of the name (spread, and stable across Python versions)."""
    chosen = sorted(entries, key=lambda entry: hashlib.sha256(entry.name.encode()).hexdigest())[:limit]
    return sorted(chosen, key=lambda entry: entry.name)


def shares_name_word(question: str, name: str) -> bool:
    """Whether `question` contains a word (3+ letters) of the dotted `name`: a free match on the heading."""
    name_words = {word for word in re.split(r"[._]", name.casefold()) if len(word) >= 3}
    return bool(name_words & set(re.findall(r"[a-z0-9]+", question.casefold())))


def _name_overlap(entries: list[Entry], *, whole_name: bool) -> float:
    """Share of questions that contain a word of the object's own name, or of its whole dotted name."""
    if not entries:
        return 0.0
    hits = sum(
        shares_name_word(entry.question, entry.name if whole_name else entry.name.rpartition(".")[2])
        for entry in entries
    )
    return round(hits / len(entries), 3)


def _write(folder: Path, entries: list[Entry]) -> None:
    docs = folder / "docs"
    # The docs folder is ours alone: clearing it keeps a smaller rebuild from leaving stale documents.
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    for entry in entries:
        (docs / entry.file_name).write_text(entry.markdown(), encoding="utf-8")
    lines = [json.dumps({"question": entry.question, "source": entry.file_name}) for entry in entries]
    (folder / "questions.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_corpus(folder: Path, limit: int = 1000) -> Manifest:
    """Write `folder/docs/*.md`, `folder/questions.jsonl` and `folder/manifest.json`; return the manifest.

    Takes a few tens of seconds: one short-lived child process per standard-library module.
    """
    with tempfile.TemporaryDirectory(prefix="stdlib-corpus-") as scratch:
        modules, failed, raws = _harvest(Path(scratch))
    entries = [entry for entry in map(to_entry, raws) if entry is not None]
    unique_questions, unique_bodies = deduplicate(entries)
    chosen = sample(unique_bodies, limit)
    _write(folder, chosen)
    manifest = Manifest(
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        platform=sys.platform,
        limit=limit,
        modules_listed=len(modules),
        modules_imported=len(modules) - len(failed),
        modules_failed=failed,
        objects_with_docstring=len(raws),
        with_summary_and_body=len(entries),
        after_duplicate_questions=len(unique_questions),
        after_duplicate_bodies=len(unique_bodies),
        documents=len(chosen),
        questions=len(chosen),
        document_words=sum(len(entry.markdown().split()) for entry in chosen),
        question_words=sum(len(entry.question.split()) for entry in chosen),
        questions_naming_object=_name_overlap(chosen, whole_name=False),
        questions_naming_module_or_object=_name_overlap(chosen, whole_name=True),
    )
    text = json.dumps(dataclasses.asdict(manifest), indent=2)
    (folder / "manifest.json").write_text(text + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    """Build the corpus into the folder given on the command line and print its manifest."""
    if len(sys.argv) == 4 and sys.argv[1] in {_CHILD_LIST, _CHILD_EXTRACT}:
        _child_main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write docs/, questions.jsonl, manifest.json")
    parser.add_argument("--limit", type=int, default=1000, help="most documents to keep")
    args = parser.parse_args()
    manifest = build_corpus(args.folder, args.limit)
    sys.stdout.write(json.dumps(dataclasses.asdict(manifest), indent=2) + "\n")


if __name__ == "__main__":
    main()
