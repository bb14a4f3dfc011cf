"""The two seams of the model: how text becomes features, and how features become classes.

scikit-learn's vectorizers and linear models fit these shapes as they are. To try sentence embeddings,
write a `FeatureExtractor` whose `transform` returns a dense array of embeddings and keep the classifier
(see "Plugging in sentence embeddings" in the README).
"""

from collections.abc import Iterable, Sequence
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt

#: A 2-D feature matrix: scipy sparse for the bag-of-words extractors, a dense ndarray for embeddings.
#: Only the classifier looks inside, so the pipeline treats it as opaque.
Features = Any


class FeatureExtractor(Protocol):
    """Turns raw texts into a feature matrix, one row per text."""

    def fit(self, texts: Iterable[str], labels: Sequence[str] | None = None, /) -> Self:
        """Learn what the extractor needs from the training texts (a no-op for stateless ones)."""
        ...

    def transform(self, texts: Iterable[str], /) -> Features:
        """Return the features of `texts`, one row each, in order."""
        ...


class Classifier(Protocol):
    """Predicts class probabilities from features."""

    classes_: npt.NDArray[Any]

    def fit(self, matrix: Features, labels: Sequence[str], /) -> Self:
        """Train on a whole feature matrix at once."""
        ...

    def predict_proba(self, matrix: Features, /) -> npt.NDArray[np.float64]:
        """One row of probabilities per sample, columns in the order of `classes_`."""
        ...


class IncrementalClassifier(Classifier, Protocol):
    """A classifier that can also learn batch by batch (out-of-core training)."""

    def partial_fit(
        self, matrix: Features, labels: Sequence[str], /, classes: Sequence[str] | None = None
    ) -> Self:
        """Update the model with one batch; `classes` must be given on the first call."""
        ...
