"""Cut a stream into lists of at most `size` items without reading ahead further than one batch."""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield consecutive lists of `size` items (the last one may be shorter).

    Like `itertools.batched` (Python 3.12+), but yields lists, which scikit-learn accepts as sequences.
    """
    if size < 1:
        raise ValueError("batch size must be at least 1")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
