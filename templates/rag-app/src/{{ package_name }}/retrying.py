"""Retries for calls to HTTP services: exponential backoff with jitter, honouring `Retry-After`.

Timeouts, connection errors, 429 and 5xx are worth another try; any other 4xx is our mistake and is not.
"""

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_base, wait_exponential_jitter

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

P = ParamSpec("P")
T = TypeVar("T")


class RetryableStatusError(httpx.HTTPStatusError):
    """A response whose status says "try again later"; carries the server's `Retry-After`, if any."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(
            f"{response.status_code} from {response.request.url}", request=response.request, response=response
        )
        self.retry_after = parse_retry_after(response.headers.get("retry-after"))


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date; None when absent/bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, httpx.TransportError | RetryableStatusError)


class _WaitRetryAfter(wait_base):
    """The server's `Retry-After` when it sent one (capped), else the fallback backoff."""

    def __init__(self, fallback: wait_base, cap: float) -> None:
        self._fallback = fallback
        self._cap = cap

    def __call__(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, RetryableStatusError) and exc.retry_after is not None:
            return min(exc.retry_after, self._cap)
        return float(self._fallback(retry_state))


RetryObserver = Callable[[int, BaseException], None]
"""Told of an attempt that failed and will be retried: its number (from 1) and its error."""


def _reporting_to(observer: RetryObserver) -> Callable[[RetryCallState], None]:
    def before_sleep(retry_state: RetryCallState) -> None:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if exc is not None:
            observer(retry_state.attempt_number, exc)

    return before_sleep


class RetryPolicy:
    """How many attempts, how long between them; `sleep` is injectable so tests need not wait."""

    def __init__(
        self,
        *,
        max_attempts: int = 4,
        backoff: float = 0.5,
        max_wait: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.max_attempts = max_attempts
        self._wait = _WaitRetryAfter(
            wait_exponential_jitter(multiplier=backoff, max=max_wait, jitter=backoff), max_wait
        )
        self._sleep = sleep

    async def call(self, fn: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
        """`await fn(...)`, retried on transient failures; the last error propagates when attempts run out."""
        return await self.call_reporting(None, fn, *args, **kwargs)

    async def call_reporting(
        self,
        on_retry: RetryObserver | None,
        fn: Callable[P, Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`call`, telling `on_retry` of each failed attempt that is tried again (a trace records them)."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            sleep=self._sleep,
            reraise=True,
            before_sleep=_reporting_to(on_retry) if on_retry else None,
        )
        return await retrying(fn, *args, **kwargs)

    @staticmethod
    def check(response: httpx.Response) -> None:
        """Raise `RetryableStatusError` for "try later" statuses and `HTTPStatusError` for other errors."""
        if response.status_code in RETRYABLE_STATUSES:
            raise RetryableStatusError(response)
        response.raise_for_status()
