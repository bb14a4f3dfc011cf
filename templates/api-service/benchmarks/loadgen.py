"""A small closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next request as
soon as the previous answer arrives, for a fixed time. Written on asyncio streams so the benchmark needs
nothing beyond the project's own dependencies; with uvloop it drives well over 10 000 requests/s per core,
several times what one service worker answers, so the server stays the bottleneck.
"""

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: tuple[float, ...]
    sent: int = 0
    """Every request answered, warm-up included (to relate server CPU time to requests)."""

    @property
    def rps(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        """Latency (ms) below which `fraction` of the requests completed (nearest rank)."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def build_request(
    host: str, port: int, path: str, body: bytes, headers: Mapping[str, str] | None = None
) -> bytes:
    """A complete keep-alive POST request with a JSON body and any extra `headers` (e.g. an API key)."""
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one response; return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _connection(
    host: str, port: int, request: bytes, *, deadline: float, measure_from: float, result: list[float]
) -> tuple[int, int]:
    """Send requests until the deadline; return (requests answered, errors while measuring)."""
    reader, writer = await asyncio.open_connection(host, port)
    errors = sent = 0
    try:
        while (started := time.perf_counter()) < deadline:
            writer.write(request)
            status = await _read_response(reader)
            sent += 1
            if started >= measure_from:
                if status == 200:
                    result.append((time.perf_counter() - started) * 1000)
                else:
                    errors += 1
    finally:
        writer.close()
        await writer.wait_closed()
    return sent, errors


async def run_load(
    host: str, port: int, request: bytes, *, connections: int, seconds: float, warmup: float
) -> LoadResult:
    """Drive `connections` connections for `warmup` + `seconds`; measure only the last `seconds`."""
    latencies: list[float] = []
    start = time.perf_counter()
    measure_from = start + warmup
    deadline = measure_from + seconds
    counts = await asyncio.gather(
        *(
            _connection(host, port, request, deadline=deadline, measure_from=measure_from, result=latencies)
            for _ in range(connections)
        )
    )
    # Requests in flight at the deadline are counted, so the window ends when the last one finishes.
    elapsed = time.perf_counter() - measure_from
    return LoadResult(
        requests=len(latencies),
        errors=sum(errors for _, errors in counts),
        seconds=elapsed,
        latencies_ms=tuple(latencies),
        sent=sum(sent for sent, _ in counts),
    )
