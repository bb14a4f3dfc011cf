"""The one way this project opens an HTTP client to an LLM or embeddings server, and words its failures.

It is an `httpx.AsyncClient` (timeouts, `httpx` exceptions, streaming) sending through aiohttp's connection
pool. httpx's own pool (httpcore) costs about twice the CPU per request and checks every idle connection on
each request, so twenty concurrent questions ended up waiting on the client instead of on the LLM (measured
by `benchmarks/fanout.py`).
"""

from collections.abc import Mapping

import httpx
from httpx_aiohttp import AiohttpTransport
from pydantic import ValidationError


def open_http_client(
    base_url: str, *, timeout: httpx.Timeout, headers: Mapping[str, str] | None = None
) -> httpx.AsyncClient:
    """A pooled client for `base_url`; close it with `aclose()` or `async with`."""
    return httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=timeout, transport=AiohttpTransport()
    )


def describe_failure(exc: BaseException, server: str) -> str:
    """What went wrong, in words a client may see: a status or a kind of failure, never the server's own
    text, URLs or a validation dump (those are for the logs)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"{server} answered {exc.response.status_code}"
    if isinstance(exc, httpx.TimeoutException) and _timed_out(exc):
        return f"{server} timed out"
    if isinstance(exc, ValidationError):
        return f"{server} sent a response of the wrong shape"
    return f"{server} unreachable or the connection broke ({type(exc).__name__})"


def _timed_out(exc: httpx.TimeoutException) -> bool:
    # httpx-aiohttp raises ConnectTimeout for any aiohttp connection error, a refused connection or an unknown
    # host included; aiohttp's own timeouts are `TimeoutError`s, so the cause tells which it was.
    return exc.__cause__ is None or isinstance(exc.__cause__, TimeoutError)
