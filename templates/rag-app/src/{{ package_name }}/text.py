"""Tokenising shared by the lexical encoder, the hashing embedder and the extractive answerer, so all of
them see the same words."""

import re
from collections.abc import Iterator
from itertools import filterfalse

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

# Words so common they say nothing about a passage; without this list "what is the" would dominate
# the similarity of short questions.
_STOPWORDS = """
a about after all also an and any are as at be been before but by can could did do does for from had has
have how i if in into is it its may more most no not of on or our should so such than that the their them
then there these they this those to too was we were what when where which who whom why will with would you
your
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def tokenize(text: str) -> list[str]:
    """Lowercase content words, with a plural "s" dropped so "refunds" matches "refund"."""
    return [singular(word) for word in content_words(text)]


def content_words(text: str) -> Iterator[str]:
    """The lowercase words of `text` that are not stop words, as they are written (no plural dropped)."""
    return filterfalse(STOPWORDS.__contains__, _WORD.findall(text.lower()))


def singular(word: str) -> str:
    """`word` with a plural "s" dropped (a rough rule: "refunds" -> "refund", "glass" stays)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def sentences(text: str) -> Iterator[str]:
    """Sentences of `text`, split after `.`, `!` or `?`; good enough for extractive answers."""
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if sentence:
            yield sentence
