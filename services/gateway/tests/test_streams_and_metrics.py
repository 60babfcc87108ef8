"""Relayed event streams do not take the ordinary requests' upstream pool; the gateway's /metrics.

A gateway whose ordinary pool holds only 2 upstream connections relays more open SSE streams than
that and still answers ordinary API calls at once; /metrics counts the open streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse

from gateway.app import create_gateway_app
from gateway.settings import Settings
from teilhabe_kit.testing import bearer, database_url, migrate, serve

STREAMS = 5


def _upstream() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/messaging/notifications/stream")
    async def stream() -> StreamingResponse:
        async def events():
            yield "id: 1\nevent: notification\ndata: {}\n\n"
            await asyncio.sleep(30)  # open until the listener leaves (cancelled then; bounded for the test)

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/api/v1/orders/ping")
    async def ping() -> JSONResponse:
        return JSONResponse({"pong": True})

    return app


@pytest.fixture(scope="module")
async def gateway(stack):
    await migrate("gateway", database_url("gateway"))
    async with serve(_upstream()) as url:
        settings = Settings(
            identity_url=url,
            orders_url=url,
            messaging_url=url,
            matching_url=url,
            contracts_url=url,
            counseling_url=url,
            cookie_secure=False,
            upstream_connections=2,
            rate_per_minute=6000,
            rate_burst=6000,
        )
        async with serve(create_gateway_app(settings)) as gateway_url:
            yield gateway_url


async def _open_streams(client: httpx.AsyncClient, stack: contextlib.AsyncExitStack, count: int) -> list:
    """`count` listeners, each with its first event read; their readers stay referenced (open)."""
    readers = []
    for _ in range(count):
        response = await stack.enter_async_context(client.stream("GET", "/events"))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        readers.append(response.aiter_text())
        assert "event: notification" in await anext(readers[-1])
    return readers


def _gauge(text: str) -> float:
    line = next(x for x in text.splitlines() if x.startswith('teilhabe_gateway_open_streams{service="messaging"}'))
    return float(line.rsplit(" ", 1)[1])


async def test_open_event_streams_leave_the_ordinary_pool_free(gateway, token_issuer):
    headers = bearer(token_issuer, "listener-1", "assistant")
    async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=30) as client:
        async with contextlib.AsyncExitStack() as streams:
            readers = await _open_streams(client, streams, STREAMS)  # more than the 2 ordinary connections
            started = time.perf_counter()
            for _ in range(4):
                response = await client.get("/api/v1/orders/ping")
                assert response.status_code == 200 and response.json() == {"pong": True}
            assert time.perf_counter() - started < 5  # no wait for a pooled connection

            metrics = await client.get("/metrics")
            assert metrics.status_code == 200
            assert _gauge(metrics.text) >= STREAMS
            assert len(readers) == STREAMS
        await asyncio.sleep(0.5)
        assert _gauge((await client.get("/metrics")).text) < STREAMS


async def test_metrics_report_requests_by_route_template(gateway):
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        await client.get("/api/v1/orders/ping")
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert (
        'teilhabe_http_request_duration_seconds_count{method="GET",route="/api/v1/{service}/{path:path}",'
        'service="gateway",status="200"}'
    ) in response.text


async def test_metrics_are_not_served_through_the_public_proxy(gateway):
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        response = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 404
    assert "teilhabe_http" not in response.text
