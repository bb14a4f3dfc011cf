"""The one way this project opens an HTTP client to an LLM or embeddings server.

It is an `httpx.AsyncClient` (timeouts, `httpx` exceptions, streaming) sending through aiohttp's connection
pool. httpx's own pool (httpcore) costs about twice the CPU per request and checks every idle connection on
each request, so twenty concurrent questions ended up waiting on the client instead of on the LLM (measured
by `benchmarks/fanout.py`).
"""

from collections.abc import Mapping

import httpx
from httpx_aiohttp import AiohttpTransport


def open_http_client(
    base_url: str, *, timeout: httpx.Timeout, headers: Mapping[str, str] | None = None
) -> httpx.AsyncClient:
    """A pooled client for `base_url`; close it with `aclose()` or `async with`."""
    return httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=timeout, transport=AiohttpTransport()
    )
