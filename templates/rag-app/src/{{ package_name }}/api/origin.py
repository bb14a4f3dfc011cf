"""Refusing state-changing requests that a browser sends on behalf of another site.

A multipart upload is a "simple" request: a page on any site can make a visitor's browser post one here
(no CORS preflight asks first), and its documents would then be quoted in answers. Browsers say where a
request comes from (`Origin`, `Sec-Fetch-Site`); clients that are not browsers send neither and pass.
"""

from http import HTTPStatus
from urllib.parse import urlsplit

from fastapi import HTTPException, Request


async def refuse_cross_site(request: Request) -> None:
    """403 unless the request comes from this server's own pages or from a client that is not a browser."""
    origin = request.headers.get("origin")
    # Behind a proxy the page's host may be the forwarded one.
    hosts = {request.headers.get("host"), request.headers.get("x-forwarded-host")} - {None}
    cross_site = request.headers.get("sec-fetch-site") == "cross-site"
    if cross_site or (origin is not None and urlsplit(origin).netloc not in hosts):
        raise HTTPException(
            HTTPStatus.FORBIDDEN, "Requests from another site's pages are refused (Origin does not match)."
        )
