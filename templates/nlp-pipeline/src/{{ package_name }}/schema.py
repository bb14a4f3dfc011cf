"""The records the pipeline reads and writes, validated once at the edge of each stage."""

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


class Sentiment(StrEnum):
    """The three classes the model predicts."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"

    @classmethod
    def from_rating(cls, rating: int) -> "Sentiment":
        """Map a 1-5 star rating to a class: 1-2 negative, 3 neutral, 4-5 positive."""
        if rating <= 2:
            return cls.NEGATIVE
        return cls.NEUTRAL if rating == 3 else cls.POSITIVE


#: One fixed order for the classifier's classes, the metrics and the confusion matrix.
LABELS: tuple[Sentiment, ...] = tuple(Sentiment)


def _not_blank(text: str) -> str:
    # Whitespace-only text carries no signal: reject it rather than predict on nothing.
    if not text.strip():
        raise ValueError("text is blank")
    return text


def _not_a_boolean(value: object) -> object:
    # Pydantic reads true as 1 in lax mode (bool is an int in Python); a boolean is a broken record.
    if isinstance(value, bool):
        raise ValueError("rating is a boolean, not a number of stars")
    return value


ReviewId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
ReviewText = Annotated[str, AfterValidator(_not_blank)]
Rating = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=1, le=5)]


class Review(BaseModel):
    """A review to classify. Extra columns (product id, date...) are ignored, not rejected."""

    # Exports often carry numeric ids; accept them and keep them as text.
    model_config = ConfigDict(frozen=True, extra="ignore", coerce_numbers_to_str=True)

    id: ReviewId
    text: ReviewText


class LabelledReview(Review):
    """A review with its star rating, the ground truth for training and evaluation."""

    rating: Rating

    @property
    def label(self) -> Sentiment:
        """The class this review's rating stands for."""
        return Sentiment.from_rating(self.rating)


class Columns(BaseModel):
    """Which columns (CSV) or keys (JSONL) of an input file hold each field: `data.columns` in the config.

    Exports name them as they like (`review_body`, `star_rating`, `review_id`); mapping them here spares a
    conversion script. The processed splits are always written with the field names themselves.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default="id", min_length=1)
    text: str = Field(default="text", min_length=1)
    rating: str = Field(default="rating", min_length=1)

    @property
    def renames(self) -> bool:
        """Whether any field has a column name of its own."""
        return self != SAME_NAMES

    def apply(self, record: dict[str, object]) -> dict[str, object]:
        """The record with its mapped columns under the field names; a missing column stays missing."""
        mapped = {"id": self.id, "text": self.text, "rating": self.rating}
        return {field: record[column] for field, column in mapped.items() if column in record}


#: Every field in the column of its own name: the processed splits, and the default for input files.
SAME_NAMES = Columns()


class Prediction(BaseModel):
    """One line of `predict`'s output."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: Sentiment
    confidence: float = Field(ge=0.0, le=1.0)
