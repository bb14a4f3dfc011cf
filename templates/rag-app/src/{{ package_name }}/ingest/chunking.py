"""Splitting text into overlapping windows, so a sentence cut at one edge is whole in the next chunk."""

from collections.abc import Iterator


def split_text(text: str, *, size: int, overlap: int) -> Iterator[str]:
    """Yield chunks of at most `size` characters that share about `overlap` characters with the previous one.

    Cuts fall on whitespace (runs of whitespace become one space); a word longer than `size` is cut into
    pieces of `size` characters.
    """
    if not 0 <= overlap < size:
        raise ValueError("need 0 <= overlap < size")
    words = _words_at_most(text, size)
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


def _words_at_most(text: str, size: int) -> list[str]:
    """The words of `text`, a word longer than `size` cut every `size` characters: a base64 blob or a
    Markdown `data:` URI has no space to cut at, and kept whole it was a multi-megabyte chunk, returned whole
    as a citation and put whole into a prompt."""
    words: list[str] = []
    for word in text.split():
        if len(word) <= size:
            words.append(word)
        else:
            words.extend(word[start : start + size] for start in range(0, len(word), size))
    return words


def _overlap_start(words: list[str], start: int, end: int, overlap: int) -> int:
    """First word of the next chunk: step back from `end` while the overlap fits, always moving forward."""
    back, kept = end, 0
    while back - 1 > start and kept + len(words[back - 1]) + 1 <= overlap:
        back -= 1
        kept += len(words[back]) + 1
    return back
