"""The benchmark's load generator, against a tiny HTTP server of its own (fast, no service started)."""

import asyncio
import math

from benchmarks.loadgen import LoadResult, build_request, run_load

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            writer.write(RESPONSE)
    except asyncio.IncompleteReadError:
        writer.close()


async def _measure() -> LoadResult:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        request = build_request("127.0.0.1", port, "/v1/predict", b'{"a": 1}')
        return await run_load("127.0.0.1", port, request, connections=2, seconds=0.2, warmup=0.05)


def test_load_generator_counts_requests_and_latencies() -> None:
    result = asyncio.run(_measure())

    assert result.requests > 10
    assert result.errors == 0
    assert result.rps > 0
    assert 0 < result.percentile(0.5) <= result.percentile(0.99)


def test_request_is_a_complete_http_message() -> None:
    request = build_request("127.0.0.1", 80, "/v1/predict", b"{}")

    assert request.startswith(b"POST /v1/predict HTTP/1.1\r\n")
    assert request.endswith(b"Content-Length: 2\r\n\r\n{}")


def test_percentile_of_nothing_is_nan() -> None:
    result = LoadResult(requests=0, errors=0, seconds=1.0, latencies_ms=())

    assert math.isnan(result.percentile(0.99))
