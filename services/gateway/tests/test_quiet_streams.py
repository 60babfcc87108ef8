"""An event stream through the gateway survives quiet longer than the ordinary read timeout.

Regression: the proxy passes lower-case header names and `Upstreams.send` looked for ``Accept``,
so a stream took the ordinary client with its read timeout (15 s) and ended with an unhandled
``httpx.ReadTimeout``. Here the ordinary timeout is 1 s and the upstream is quiet for 2.5 s.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from gateway.app import create_gateway_app
from gateway.settings import Settings
from teilhabe_kit.testing import bearer, database_url, migrate, serve

QUIET_SECONDS = 2.5


def _upstream() -> FastAPI:
    app = FastAPI()

    @app.get("/api/v1/messaging/notifications/stream")
    async def stream() -> StreamingResponse:
        async def events():
            yield "id: 1\nevent: ready\ndata: {}\n\n"
            await asyncio.sleep(QUIET_SECONDS)
            yield "id: 2\nevent: notification\ndata: {}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    @app.get("/api/v1/orders/slow")
    async def slow() -> dict:
        await asyncio.sleep(QUIET_SECONDS)
        return {}

    return app


@pytest.fixture(scope="module")
async def gateway(stack):
    await migrate("gateway", database_url("gateway"))
    async with serve(_upstream()) as url:
        urls = {f"{name}_url": url for name in ("identity", "orders", "messaging", "matching", "contracts")}
        settings = Settings(**urls, cookie_secure=False, upstream_timeout_seconds=1.0)
        async with serve(create_gateway_app(settings)) as gateway_url:
            yield gateway_url


@pytest.mark.parametrize("path", ["/api/v1/messaging/notifications/stream", "/events"])
async def test_a_quiet_event_stream_stays_open(gateway, token_issuer, path, caplog):
    caplog.set_level(logging.WARNING)
    headers = bearer(token_issuer, "quiet-listener", "assistant") | {"Accept": "text/event-stream"}
    async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=30) as client:
        async with client.stream("GET", path) as response:
            assert response.status_code == 200
            body = "".join([chunk async for chunk in response.aiter_text()])
    assert "event: ready" in body and "event: notification" in body
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "gateway" in r.name]


async def test_an_ordinary_request_still_times_out_as_a_clear_503(gateway, token_issuer):
    headers = bearer(token_issuer, "impatient", "seeker")
    async with httpx.AsyncClient(base_url=gateway, headers=headers, timeout=30) as client:
        response = await client.get("/api/v1/orders/slow")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
