"""The kinds of project aiscaffold can generate, with their one-line descriptions.

The values are the folder names under ``templates/`` and the choices of the ``template`` question in
``copier.yml``; a test keeps the three in step.
"""

from __future__ import annotations

from enum import StrEnum

from aiscaffold.errors import UnknownTemplateError


class TemplateKind(StrEnum):
    """A template under ``templates/``."""

    API_SERVICE = "api-service"
    NLP_PIPELINE = "nlp-pipeline"
    RAG_APP = "rag-app"

    @property
    def description(self) -> str:
        """One line that says what the generated project does."""
        return _DESCRIPTIONS[self]

    @property
    def default_folder(self) -> str:
        """The destination suggested when the user is asked where the project goes."""
        return _DEFAULT_FOLDERS[self]


_DESCRIPTIONS = {
    TemplateKind.API_SERVICE: "Churn-prediction model: training, versioned artifact, FastAPI serving",
    TemplateKind.NLP_PIPELINE: "Streaming sentiment pipeline for product reviews: ingest, train, evaluate",
    TemplateKind.RAG_APP: "Question answering over your documents: chat UI, API, vector DB, LLM client",
}

_DEFAULT_FOLDERS = {
    TemplateKind.API_SERVICE: "churn-service",
    TemplateKind.NLP_PIPELINE: "review-sentiment",
    TemplateKind.RAG_APP: "docs-qa",
}


def parse_kind(name: str) -> TemplateKind:
    """Return the kind called ``name``, or raise ``UnknownTemplateError`` listing the valid ones."""
    try:
        return TemplateKind(name)
    except ValueError:
        choices = ", ".join(kind.value for kind in TemplateKind)
        raise UnknownTemplateError(
            f"unknown template {name!r}", hint=f"choose one of: {choices} (see `aiscaffold list`)"
        ) from None
