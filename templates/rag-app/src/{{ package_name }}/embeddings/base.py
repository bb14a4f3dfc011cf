"""The interface every embedder implements; the app and the tests depend on this, not on a vendor."""

from collections.abc import Sequence
from typing import Protocol


class EmbeddingError(RuntimeError):
    """The embedder could not produce vectors (service down, bad answer)."""


class Embedder(Protocol):
    """Turns texts into vectors of one fixed dimension; similar texts give close vectors."""

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        ...
