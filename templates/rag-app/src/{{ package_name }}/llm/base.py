"""What the app needs from an LLM, independent of the vendor."""

from collections.abc import AsyncIterator, Sequence
from typing import Literal, Protocol, TypedDict


class Message(TypedDict):
    """One chat message, in the shape every OpenAI-compatible API accepts."""

    role: Literal["system", "user", "assistant"]
    content: str


class LLMError(RuntimeError):
    """The LLM gave no usable answer, after retries where retrying made sense."""


class ChatModel(Protocol):
    """A chat-completion model."""

    async def complete(self, messages: Sequence[Message]) -> str:
        """The whole answer to `messages`."""
        ...

    def stream(self, messages: Sequence[Message]) -> AsyncIterator[str]:
        """The answer as it is generated, piece by piece."""
        ...

    async def ping(self) -> bool:
        """Whether the model's server answers."""
        ...
