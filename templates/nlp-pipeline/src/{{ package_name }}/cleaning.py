"""Text cleaning: the normalisation every review goes through before it becomes features.

The cleaner is part of the fitted model (it is the vectorizer's preprocessor), so `train`, `evaluate` and
`predict` clean text the same way by construction, whatever the config says later.
"""

import html
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict

# Placeholders are plain words so they survive lower-casing and tokenisation as ordinary tokens.
URL_PLACEHOLDER = "xxurl"
EMAIL_PLACEHOLDER = "xxemail"
NUMBER_PLACEHOLDER = "xxnum"

_TAG = re.compile(r"<[^>]{0,500}>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_NUMBER = re.compile(r"(?<![\w.])[$€£]?\d+(?:[.,:]\d+)*%?")
_SPACE = re.compile(r"\s+")


class TextCleaner(BaseModel):
    """Configurable, picklable text normalisation (the `cleaning:` section of the config)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unicode_form: Literal["NFC", "NFKC"] | None = "NFKC"
    strip_html: bool = True
    replace_urls: bool = True
    replace_emails: bool = True
    replace_numbers: bool = True
    lowercase: bool = True

    def __call__(self, text: str) -> str:
        """Return the cleaned text; emoji are kept on purpose, they carry sentiment."""
        if self.strip_html:
            # Tags first, then entities: `&lt;b&gt;` is text someone typed, not markup to remove.
            text = html.unescape(_TAG.sub(" ", text))
        if self.unicode_form:
            # NFKC also folds full-width letters and ligatures into plain ones, as users paste both.
            text = unicodedata.normalize(self.unicode_form, text)
        # E-mails before URLs: `www.shop.example` inside an address must not become a URL.
        if self.replace_emails:
            text = _EMAIL.sub(f" {EMAIL_PLACEHOLDER} ", text)
        if self.replace_urls:
            text = _URL.sub(f" {URL_PLACEHOLDER} ", text)
        if self.replace_numbers:
            text = _NUMBER.sub(f" {NUMBER_PLACEHOLDER} ", text)
        if self.lowercase:
            text = text.lower()
        return _SPACE.sub(" ", text).strip()
