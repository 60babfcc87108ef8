"""`/metrics` on a port of its own, so that nothing public (the gateway, an ingress) can reach it.

With ``<SERVICE>_METRICS_PORT`` set, `install_metrics` leaves `/metrics` off the API port and
`metrics_listener` serves it on ``metrics_host:metrics_port`` beside the API, in the same process
and event loop (the figures are this process's), for the cluster's scraper only. Unset (local
development), `/metrics` stays on the API port.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import uvicorn
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from teilhabe_kit.metrics import metrics
from teilhabe_kit.metrics import router as metrics_router
from teilhabe_kit.settings import ServiceSettings


class _BesideServer(uvicorn.Server):
    """A second listener in the API's process: the API's server handles the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def install_metrics(app: FastAPI, settings: ServiceSettings) -> None:
    """`/metrics` on the API port, unless it has a port of its own."""
    if settings.metrics_port is None:
        app.include_router(metrics_router)


@contextlib.asynccontextmanager
async def metrics_listener(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[None]:
    """While the app runs: `/metrics` of `app` on the metrics port (nothing when none is set)."""
    if settings.metrics_port is None:
        yield
        return

    async def scrape(request: Request) -> Response:
        request.scope["app"] = app  # the sampler lives in the API app's state
        return await metrics(request)

    side = Starlette(routes=[Route("/metrics", scrape)])
    server = _BesideServer(
        uvicorn.Config(
            side,
            host=settings.metrics_host,
            port=settings.metrics_port,
            lifespan="off",
            access_log=False,
            log_level="warning",
        )
    )
    task = asyncio.create_task(server.serve(), name="metrics-listener")
    async with asyncio.timeout(10):
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError(f"metrics port {settings.metrics_port} could not be opened")
            await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await task
