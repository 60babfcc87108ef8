"""Wiring a service process: engine, broker, consumers, outbox relay and HTTP app in one lifespan.

`run_api`, `run_consumers` and `run_relay` in the settings let operators run the parts as
separate processes where they scale differently (the same image, other environment). A service
whose consumers must run in one replica at a time (matching: each decision needs every assistant)
passes `leader_lock`: every replica competes for that advisory lock, and only the holder consumes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Sequence

from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker

import teilhabe_events.contexts  # noqa: F401  (fills the registry of public events)
from teilhabe_events import dlq_topic, registry
from teilhabe_events.registry import EventRegistry
from teilhabe_kit.consumer import ConsumerRunner
from teilhabe_kit.db import create_engine
from teilhabe_kit.health import router as health_router
from teilhabe_kit.http import RequestContextMiddleware
from teilhabe_kit.kafka_topics import ensure_topics
from teilhabe_kit.leadership import Leadership
from teilhabe_kit.logs import setup_logging
from teilhabe_kit.metrics import HttpMetricsMiddleware, MetricsSampler
from teilhabe_kit.metrics_port import install_metrics, metrics_listener
from teilhabe_kit.outbox import OutboxRelay, idempotent_producer
from teilhabe_kit.problems import install_problem_handlers
from teilhabe_kit.projection import Projection
from teilhabe_kit.revocation import RevocationFeed, RevocationList, followed
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.telemetry import setup_tracing

Startup = Callable[[FastAPI], "contextlib.AbstractAsyncContextManager[None]"]


def kafka_broker(settings: ServiceSettings) -> KafkaBroker:
    """A faststream broker whose own publishes (dead letters) are idempotent with acks=all."""
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        client_id=f"teilhabe-{settings.service_name}",
        log_level=logging.DEBUG,  # per-message access logs only when debugging
    )


def freeze_heap() -> None:
    """Take what startup built (modules, a service's in-memory index) out of the cyclic garbage
    collector's reach: a full collection walks every tracked object, and with matching's 100k
    assistants (750k objects) each one stopped the process for ~270 ms — the pipeline's p99."""
    gc.collect()
    gc.freeze()


def _own_topics(settings: ServiceSettings, projections: Sequence[Projection]) -> set[str]:
    """The topics this process consumes (with their dead letters) and publishes through its outbox:
    created before first use, so no client meets a topic missing from the cluster's metadata."""
    consumed = {t for p in projections for t in p.topics} if settings.run_consumers else set()
    produced = registry.topics(settings.service_name) if settings.run_relay else set()
    return consumed | {dlq_topic(t) for t in consumed} | produced


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter] = (),
    projections: Sequence[Projection] = (),
    extra_startup: Startup | None = None,
    events: EventRegistry = registry,
    leader_lock: int | None = None,
    while_leading: Startup | None = None,
) -> FastAPI:
    """The FastAPI app of a service with health, problem+json errors and its background parts
    (`events`: the registry typing what the projections receive; the public events by default).

    With `leader_lock` the projections run only in the replica holding that advisory lock
    (`app.state.leadership`), after `extra_startup`, inside `while_leading` (entered when this
    replica becomes the leader, left when it stops leading).

    Its API refuses tokens of revoked accounts (`teilhabe_kit.revocation`): `app.state.revocations`
    is the instance's list, `app.state.token_verifier` checks it."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging(settings.log_level)
        setup_tracing(settings.service_name)
        engine = create_engine(settings.resolved_database_url())
        broker = kafka_broker(settings)
        app.state.settings = settings
        app.state.engine = engine
        app.state.broker = broker
        revocations = RevocationList() if settings.run_api else None
        app.state.revocations = revocations
        app.state.token_verifier = settings.token_verifier(revocations)
        app.state.metrics_sampler = MetricsSampler(
            settings.service_name,
            engine,
            settings.kafka_bootstrap_servers,
            groups={p.name: p.topics for p in projections} if settings.run_consumers else None,
            outbox=settings.run_relay,
        )

        def consume_on(target: KafkaBroker) -> None:
            for projection in projections:
                ConsumerRunner(target, engine, projection, max_attempts=settings.consumer_max_attempts, events=events)

        async def lead(until: asyncio.Event) -> None:
            async with contextlib.AsyncExitStack() as term:
                if while_leading is not None:
                    await term.enter_async_context(while_leading(app))
                consumers = kafka_broker(settings)
                consume_on(consumers)
                await consumers.start()
                term.push_async_callback(consumers.stop)
                await until.wait()

        leadership = Leadership(engine, leader_lock) if settings.run_consumers and leader_lock is not None else None
        app.state.leadership = leadership
        if settings.run_consumers and leadership is None:
            consume_on(broker)
        stop = asyncio.Event()
        tasks: list[asyncio.Task[None]] = []
        producer = None
        async with contextlib.AsyncExitStack() as stack:
            await ensure_topics(settings.kafka_bootstrap_servers, _own_topics(settings, projections))
            await broker.start()
            stack.push_async_callback(broker.stop)
            if revocations is not None:
                await stack.enter_async_context(
                    followed(
                        RevocationFeed(settings.kafka_bootstrap_servers, revocations, topic=settings.revocations_topic)
                    )
                )
            stack.push_async_callback(engine.dispose)
            stack.push_async_callback(app.state.metrics_sampler.close)
            if settings.run_relay:
                producer = idempotent_producer(settings.kafka_bootstrap_servers, linger_ms=settings.relay_linger_ms)
                await producer.start()
                stack.push_async_callback(producer.stop)
                relay = OutboxRelay(
                    engine,
                    producer,
                    batch_size=settings.relay_batch_size,
                    poll_seconds=settings.relay_poll_seconds,
                )
                tasks.append(asyncio.create_task(relay.run(stop), name="outbox-relay"))
            if extra_startup is not None:
                await stack.enter_async_context(extra_startup(app))
            if leadership is not None:
                tasks.append(asyncio.create_task(leadership.run(stop, lead), name="leadership"))
            await stack.enter_async_context(metrics_listener(app, settings))
            freeze_heap()
            try:
                yield
            finally:
                stop.set()
                await asyncio.gather(*tasks, return_exceptions=True)

    app = FastAPI(
        title=title,
        version="1",
        lifespan=lifespan,
        openapi_url=f"/api/v1/{settings.service_name}/openapi.json",
        docs_url=f"/api/v1/{settings.service_name}/docs",
        redoc_url=None,
    )
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(HttpMetricsMiddleware, service=settings.service_name)
    install_problem_handlers(app)
    app.include_router(health_router)
    install_metrics(app, settings)
    if settings.run_api:
        for router in routers:
            app.include_router(router)
    return app
