"""The prediction routes served as plain Starlette routes, in front of FastAPI's.

FastAPI runs its dependency solver and its included-router matching for every request, even for an
endpoint that takes only the `Request`: measured in-process, that was half the cost of a single
prediction (benchmarks/run.py). The prediction endpoints already read their body and state themselves, so
`serve_directly(app, router)` puts a `DirectRoute` for each of the router's routes at the front of the
app: a request reaches the endpoint at once, after the route's guards. FastAPI's routes stay where they
were, so /docs still documents the body, the responses and the security scheme; they are just not reached
for these paths and methods any more.

A guard is a dependency that needs nothing but the request (`async def guard(request) -> None` that
raises an `HTTPException`, like the API-key check). A route whose dependencies are not all guards is
refused when the app is built: skipping a dependency silently could skip authentication.
"""

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute, APIRouter
from starlette.requests import HTTPConnection
from starlette.routing import Match, Route
from starlette.types import Scope

Endpoint = Callable[[Request], Awaitable[Response]]
Guard = Callable[[Request], Awaitable[None]]


class DirectRoute(Route):
    """A Starlette route that runs its guards, then the endpoint; labelled like FastAPI's for metrics."""

    def __init__(self, route: APIRoute, guards: Sequence[Guard]) -> None:
        endpoint: Endpoint = route.endpoint

        async def guarded(request: Request) -> Response:
            for guard in guards:
                await guard(request)
            return await endpoint(request)

        super().__init__(route.path, guarded, methods=sorted(route.methods or ()), name=route.name)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Match like any route and, as FastAPI's routes do, name itself in the scope (metrics read it)."""
        match, child_scope = super().matches(scope)
        if match != Match.NONE:
            child_scope["route"] = self
        return match, child_scope


def serve_directly(app: FastAPI, router: APIRouter) -> None:
    """Serve `router`'s routes (already included in `app`) through `DirectRoute`s placed first."""
    direct: list[DirectRoute] = []
    for route in router.routes:
        if not isinstance(route, APIRoute) or not _takes_only_the_request(route.endpoint):
            raise TypeError(f"{route}: only endpoints taking just the Request can be served directly")
        guards = [dependency.dependency for dependency in route.dependencies]
        refused = [guard for guard in guards if guard is None or not _takes_only_the_request(guard)]
        if refused:
            raise TypeError(f"{route.path}: dependencies {refused} are not guards of the request alone")
        direct.append(DirectRoute(route, guards))  # type: ignore[arg-type]  # checked just above
    app.router.routes[:0] = direct


def _takes_only_the_request(function: Callable[..., Any]) -> bool:
    parameters = list(inspect.signature(function).parameters.values())
    # A guard may take the `HTTPConnection` (FastAPI's security schemes do), which a Request is.
    return len(parameters) == 1 and parameters[0].annotation in {Request, HTTPConnection}
