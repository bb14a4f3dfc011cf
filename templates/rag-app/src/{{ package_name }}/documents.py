"""The records that move through the app: chunks on the way in, passages on the way out."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

# Chunk ids are UUIDs derived from the source and its content, so re-ingesting a document upserts the same
# points, and the same text under two names is two documents.
_CHUNK_NAMESPACE = uuid.UUID("6f1c2a52-2c41-4b7a-9d55-6a4f0c7c1e0b")


class DocumentError(ValueError):
    """A document that cannot be read: unsupported type, bad encoding, no text."""


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document, ready to embed."""

    source: str
    document_hash: str
    index: int
    text: str

    @property
    def id(self) -> str:
        """Stable point id: the same source and content always give the same ids."""
        return chunk_id(self.source, self.document_hash, self.index)


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk with its similarity score (higher is closer)."""

    source: str
    chunk_index: int
    text: str
    score: float


def chunk_id(source: str, document_hash: str, index: int) -> str:
    """The point id of chunk `index` of `source` when its content has this hash."""
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{document_hash}:{index}:{source}"))


def content_hash(data: bytes) -> str:
    """sha256 of a document's bytes: its identity for idempotent ingestion."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a source: its content hash and how many chunks it has."""

    document_hash: str
    chunks: int


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """What the store holds of a source: the complete version, and a version being written (or None)."""

    source: str
    stored: Version | None = None
    pending: Version | None = None


def chunk_ids(source: str, version: Version) -> list[str]:
    """The point ids of every chunk of one version of `source`."""
    return [chunk_id(source, version.document_hash, index) for index in range(version.chunks)]


def document_title(source: str) -> str:
    """The words of a source's file name: "guides/refund-policy.md" -> "refund policy"."""
    stem = PurePosixPath(source).stem
    return " ".join(stem.replace("_", " ").replace("-", " ").replace(".", " ").split())
