"""Work that ends when its client goes away, so an abandoned question stops its upstream LLM call."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response

T = TypeVar("T")


class ClientDisconnectedError(Exception):
    """The client closed the connection before the answer was ready."""


async def unless_disconnected(request: Request, work: Awaitable[T]) -> T:
    """The result of `work`; if the client disconnects first, `work` is cancelled and this raises
    `ClientDisconnectedError`. (Starlette does this for streamed responses only, once they have started.)"""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnect(request))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            await asyncio.wait({task})  # let it unwind: its upstream connection closes on the way out
    if task.cancelled():
        raise ClientDisconnectedError
    return task.result()


async def _disconnect(request: Request) -> None:
    # The body has been read: the next message the server delivers is the disconnect.
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def client_gone(_request: Request, _exc: Exception) -> Response:
    """Nothing reaches a client that left; 499 (nginx's "client closed request") marks it in access logs."""
    return Response(status_code=_CLIENT_CLOSED_REQUEST)


_CLIENT_CLOSED_REQUEST = 499
