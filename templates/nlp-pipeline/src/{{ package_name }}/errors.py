"""The pipeline's errors: each one is something a person can fix, and the CLI prints it as one line.

PipelineError
├── ConfigError              the config file or an environment override is invalid
├── UnsupportedFormatError   an input file is neither JSONL nor CSV
├── OverwriteInputError      an output path is also an input
├── DestinationIsFolderError an output path is a folder, not a file
├── OutputWriteError         the file system refuses an output (read-only, full, a file where a folder is due)
├── InputNotFoundError       a file a command reads is missing
├── InvalidRecordError       a file that must be clean (a processed split) holds a bad record
├── EmptyInputError          the input holds no valid record, so there is nothing to replace outputs with
├── TrainingDataError        too little data to train on
├── EmptyHoldoutError        the hold-out split holds no review to score
├── EmbeddingsError          wordllama's vectors are missing, or not the ones the model was trained with
├── ArtifactNotFoundError    no trained model where the config points
└── ArtifactIntegrityError   the model file is not the one its metadata describes
"""

from pathlib import Path
from typing import Any

from pydantic import ValidationError


class PipelineError(Exception):
    """Root of the errors the CLI reports without a traceback."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle rebuilds an exception by calling its class with `self.args`, the message alone, which the
        # subclasses' own signatures refuse. `compare` gets its errors back from child processes by pickle,
        # so rebuild from the message and the attributes, without calling `__init__` again.
        return _rebuild, (type(self), self.args), self.__dict__


class ConfigError(PipelineError):
    """Raised when the settings do not validate, or the YAML file does not parse."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"invalid configuration ({path} and environment overrides): {reason}")
        self.path = path


class UnsupportedFormatError(PipelineError):
    """Raised when an input file's suffix is not `.jsonl`, `.ndjson` or `.csv`."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: unsupported format (expected .jsonl, .ndjson or .csv)")
        self.path = path


class OverwriteInputError(PipelineError):
    """Raised when a command would write over the file it reads."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is both input and output; write the output elsewhere")
        self.path = path


class DestinationIsFolderError(PipelineError):
    """Raised when a command is told to write a file where a folder is."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is a folder: name the file to write, e.g. {path / 'predictions.jsonl'}")
        self.path = path


class OutputWriteError(PipelineError):
    """Raised when the file system refuses to write an output; `reason` is its own words (`strerror`)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path


class InputNotFoundError(PipelineError):
    """Raised when a command's input file does not exist; `hint` says which command makes it."""

    def __init__(self, path: Path, hint: str) -> None:
        super().__init__(f"{path} does not exist: {hint}")
        self.path = path


class InvalidRecordError(PipelineError):
    """Raised when a processed split, which `ingest` wrote valid, holds an invalid record."""

    def __init__(self, source: str, line: int, reason: str) -> None:
        super().__init__(f"{source}, line {line}: {reason} (re-run `ingest`)")
        self.source = source
        self.line = line


class EmptyInputError(PipelineError):
    """Raised when `ingest` or `predict` accepts no record: empty outputs would replace good ones for
    nothing, and every record failing alike is a setup problem (a column mapping, an encoding), which the
    first rejection's reason names."""

    def __init__(self, sources: list[Path], *, read: int, first_rejection: str, kept: str) -> None:
        names = ", ".join(str(source) for source in sources)
        first = f"; the first: {first_rejection}" if first_rejection else ""
        super().__init__(f"no valid reviews in {names} ({read} records read{first}); {kept} are kept")
        self.sources = sources


class TrainingDataError(PipelineError):
    """Raised when the train split is empty or holds a single class."""


class EmptyHoldoutError(PipelineError):
    """Raised when `evaluate` finds no review in the hold-out split: scores of nothing would read as 0."""


class EmbeddingsError(PipelineError):
    """Raised when pretrained word vectors are missing or differ from the ones a model was trained with."""


class ArtifactNotFoundError(PipelineError):
    """Raised when a command needs a trained model and there is none."""

    def __init__(self, path: Path, hint: str = "run `train` first") -> None:
        super().__init__(f"no trained model in {path}: {hint}")
        self.path = path


class ArtifactIntegrityError(PipelineError):
    """Raised when the model file is not the one training wrote (checked before unpickling)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}; refusing to use it")
        self.path = path


def _rebuild(kind: type[PipelineError], args: tuple[object, ...]) -> PipelineError:
    return kind.__new__(kind, *args)  # sets `args`; pickle then restores the attributes


def explain(error: ValidationError) -> str:
    """One clause per validation error, e.g. `rating: Input should be less than or equal to 5`."""
    parts = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"])
        parts.append(f"{where}: {detail['msg']}" if where else detail["msg"])
    return "; ".join(parts)
