"""The gateway app: proxy, SSE relay, web UI, health; no events of its own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from gateway import openapi, proxy
from gateway.middleware import GatewayMiddleware, security_headers
from gateway.ratelimit import RateLimiter
from gateway.sessions import SessionStore
from gateway.settings import SERVICE_PORTS, Settings
from gateway.upstream import Upstreams
from gateway.web import install_web
from teilhabe_kit.db import create_engine
from teilhabe_kit.http import RequestContextMiddleware
from teilhabe_kit.leadership import alone
from teilhabe_kit.logs import setup_logging
from teilhabe_kit.metrics import HttpMetricsMiddleware
from teilhabe_kit.metrics import metrics as prometheus_text
from teilhabe_kit.metrics_port import metrics_listener
from teilhabe_kit.problems import NotFound, install_problem_handlers, problem_response
from teilhabe_kit.revocation import RevocationFeed, RevocationList, followed
from teilhabe_kit.service import freeze_heap
from teilhabe_kit.telemetry import setup_tracing

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
HOUSEKEEPING_SECONDS = 600


async def _sync_rate_buckets(app: FastAPI) -> None:
    limiter: RateLimiter = app.state.rate_limiter
    while True:
        await asyncio.sleep(limiter.copies.sync_seconds)
        try:
            await limiter.sync()
        except Exception:  # the next round sends it again; stale copies fall back to the shared buckets
            log.warning("rate bucket sync failed", exc_info=True)


HOUSEKEEPING_LOCK = 0x6A7E_0001
"""Advisory lock of the purge in progress: every replica's timer fires, one purges."""


async def _purge(app: FastAPI) -> None:
    await app.state.sessions.purge_expired()
    await app.state.rate_limiter.purge_idle()


async def _housekeeping(app: FastAPI) -> None:
    while True:
        await asyncio.sleep(HOUSEKEEPING_SECONDS)
        try:
            await alone(app.state.engine, HOUSEKEEPING_LOCK, lambda: _purge(app))
        except Exception:  # the next round tries again
            log.warning("housekeeping failed", exc_info=True)


def create_gateway_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging(settings.log_level)
        setup_tracing(settings.service_name)
        logging.getLogger("httpx").setLevel(logging.WARNING)
        engine = create_engine(settings.resolved_database_url())
        app.state.settings = settings
        app.state.engine = engine
        app.state.revocations = RevocationList()
        app.state.token_verifier = settings.token_verifier(app.state.revocations)
        app.state.upstreams = Upstreams(settings)
        app.state.sessions = SessionStore(engine, settings.session_secret, settings.session_days)
        app.state.rate_limiter = RateLimiter(engine, settings)
        app.state.security_headers = security_headers(settings.tile_url)
        tasks = [
            asyncio.create_task(_housekeeping(app), name="gateway-housekeeping"),
            asyncio.create_task(_sync_rate_buckets(app), name="gateway-rate-sync"),
        ]
        try:
            feed = RevocationFeed(
                settings.kafka_bootstrap_servers, app.state.revocations, topic=settings.revocations_topic
            )
            async with metrics_listener(app, settings), followed(feed):
                freeze_heap()
                yield
        finally:
            for task in tasks:
                task.cancel()
            await app.state.upstreams.aclose()
            await engine.dispose()

    app = FastAPI(
        title="Teilhabe gateway",
        version="1",
        lifespan=lifespan,
        openapi_url="/api/v1/gateway/openapi.json",
        docs_url="/api/v1/gateway/docs",
        redoc_url=None,
    )
    app.add_middleware(GatewayMiddleware)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(HttpMetricsMiddleware, service=settings.service_name)
    install_problem_handlers(app)

    if settings.metrics_port is None:  # local: on the public port, but never through a proxy

        @app.get("/metrics", include_in_schema=False)
        async def metrics(request: Request) -> Response:
            """The kit's Prometheus figures, for a scraper that reaches the process directly: a
            request that came through a proxy (an ingress adds X-Forwarded-For) finds nothing here."""
            if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
                raise NotFound("Not found")
            return await prometheus_text(request)

    @app.get("/health/live", tags=["health"])
    async def live() -> dict[str, str]:
        return {"status": "live"}

    @app.get("/health/ready", tags=["health"])
    async def ready(request: Request) -> JSONResponse:
        try:
            async with asyncio.timeout(2):
                async with request.app.state.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except Exception:
            return problem_response(503, "Not ready", "unreachable: database", headers={"Retry-After": "5"})
        if not request.app.state.revocations.caught_up.is_set():
            return problem_response(503, "Not ready", "not ready: revocations", headers={"Retry-After": "5"})
        return JSONResponse({"status": "ready", "checks": {"database": "up", "revocations": "up"}})

    @app.get("/health/services", tags=["health"])
    async def services(request: Request) -> dict[str, str]:
        """Each service's readiness as the gateway sees it (for operators and the status page): with
        several replicas the worst of them."""
        client = request.app.state.upstreams.client

        async def check(url: str) -> str:
            try:
                response = await client.get(f"{url}/health/ready", timeout=2)
                return "up" if response.status_code == 200 else "not ready"
            except Exception:
                return "down"

        async def worst(name: str) -> tuple[str, str]:
            states = await asyncio.gather(*(check(url) for url in settings.service_urls(name)))
            return name, max(states, key=["up", "not ready", "down"].index)

        return dict(await asyncio.gather(*(worst(name) for name in SERVICE_PORTS)))

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(proxy.router)  # before the web pages' ~140 routes: most calls are API calls
    install_web(app)
    app.include_router(openapi.router)
    return app
