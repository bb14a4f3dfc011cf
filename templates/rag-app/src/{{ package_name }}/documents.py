"""The records that move through the app: chunks on the way in, passages on the way out."""

import hashlib
import uuid
from dataclasses import dataclass

# Chunk ids are UUIDs derived from content, so re-ingesting a document upserts the same points.
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
        """Stable point id: the same document content always gives the same ids."""
        return chunk_id(self.document_hash, self.index)


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk with its similarity score (higher is closer)."""

    source: str
    chunk_index: int
    text: str
    score: float


def chunk_id(document_hash: str, index: int) -> str:
    """The point id of chunk `index` of the document with this content hash."""
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{document_hash}:{index}"))


def content_hash(data: bytes) -> str:
    """sha256 of a document's bytes: its identity for idempotent ingestion."""
    return hashlib.sha256(data).hexdigest()
