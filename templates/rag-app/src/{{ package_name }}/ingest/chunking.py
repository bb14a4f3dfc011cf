"""Splitting text into overlapping windows, so a sentence cut at one edge is whole in the next chunk."""

from collections.abc import Iterator


def split_text(text: str, *, size: int, overlap: int) -> Iterator[str]:
    """Yield chunks of at most `size` characters that share about `overlap` characters with the previous one.

    Cuts fall on whitespace (runs of whitespace become one space); a single word longer than `size` becomes
    a chunk of its own rather than being cut.
    """
    if not 0 <= overlap < size:
        raise ValueError("need 0 <= overlap < size")
    words = text.split()
    start = 0
    while start < len(words):
        end, length = start + 1, len(words[start])
        while end < len(words) and length + 1 + len(words[end]) <= size:
            length += 1 + len(words[end])
            end += 1
        yield " ".join(words[start:end])
        if end == len(words):
            return
        start = _overlap_start(words, start, end, overlap)


def _overlap_start(words: list[str], start: int, end: int, overlap: int) -> int:
    """First word of the next chunk: step back from `end` while the overlap fits, always moving forward."""
    back, kept = end, 0
    while back - 1 > start and kept + len(words[back - 1]) + 1 <= overlap:
        back -= 1
        kept += len(words[back]) + 1
    return back
