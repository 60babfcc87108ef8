"""Prometheus metrics of a service: HTTP latency, outbox backlog, consumer lag and dead letters.

`GET /metrics` samples the figures that live outside the process (outbox rows, Kafka offsets)
when Prometheus scrapes, each source bounded by a timeout; a failed source keeps its last values
and counts in ``teilhabe_metrics_sample_errors_total``. No background loop, no extra process.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping, Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from teilhabe_events import dlq_topic
from teilhabe_kit.tables import outbox

log = logging.getLogger(__name__)

SAMPLE_TIMEOUT_SECONDS = 3.0

HTTP_LATENCY = Histogram(
    "teilhabe_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and status",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_PENDING = Gauge("teilhabe_outbox_pending_events", "Recorded events not yet published to Kafka", ["service"])
OUTBOX_OLDEST_AGE = Gauge(
    "teilhabe_outbox_oldest_pending_age_seconds",
    "Age of the oldest event waiting in the outbox (0 when none waits)",
    ["service"],
)
CONSUMER_LAG = Gauge(
    "teilhabe_consumer_lag_messages",
    "Messages of a topic not yet processed by a consumer group (end offset - committed offset)",
    ["service", "group", "topic"],
)
DLQ_MESSAGES = Gauge("teilhabe_dlq_messages", "Messages held in a dead-letter topic", ["service", "topic"])
CONSUMED = Histogram(
    "teilhabe_consumer_event_seconds",
    "Time to handle one message, by consumer group and outcome (applied, duplicate, dead_lettered)",
    ["group", "outcome"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
EVENT_AGE = Histogram(
    "teilhabe_consumer_event_age_seconds",
    "From an event's occurrence to its effect in a consumer's read model (end-to-end latency)",
    ["group"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
)
SAMPLE_ERRORS = Counter(
    "teilhabe_metrics_sample_errors",
    "Scrapes in which a source of figures could not be read",
    ["service", "source"],
)


class HttpMetricsMiddleware:
    """Observes every HTTP request in `teilhabe_http_request_duration_seconds`.

    The route label is the route's template (``/api/v1/orders/{order_id}``), never the raw path,
    so ids never become label values.
    """

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            HTTP_LATENCY.labels(
                self.service, scope["method"], getattr(route, "path", "unmatched"), str(status)
            ).observe(time.perf_counter() - started)


class MetricsSampler:
    """Reads outbox backlog and consumer lag of one service process for a scrape.

    `groups` maps each consumer group (a projection's name) to its topics; the dead-letter topics
    of those topics are counted too. With `outbox=False` the outbox is not queried (a process
    that runs no relay leaves that figure to the one that does).
    """

    def __init__(
        self,
        service: str,
        engine: AsyncEngine,
        bootstrap_servers: str,
        *,
        groups: Mapping[str, Sequence[str]] | None = None,
        outbox: bool = True,
    ) -> None:
        self.service = service
        self._engine = engine
        self._bootstrap = bootstrap_servers
        self._groups = {group: tuple(topics) for group, topics in (groups or {}).items()}
        self._outbox = outbox
        self._consumer: AIOKafkaConsumer | None = None
        self._admin: AIOKafkaAdminClient | None = None

    async def sample(self) -> None:
        """Refresh the gauges from the database and Kafka (each bounded by a timeout)."""
        sources = []
        if self._outbox:
            sources.append(("outbox", self._sample_outbox()))
        if self._groups:
            sources.append(("kafka", self._sample_kafka()))
        results = await asyncio.gather(
            *(asyncio.wait_for(c, SAMPLE_TIMEOUT_SECONDS) for _, c in sources),
            return_exceptions=True,
        )
        for (source, _), result in zip(sources, results, strict=True):
            if isinstance(result, BaseException):
                log.warning("metrics: cannot read %s: %r", source, result)
                SAMPLE_ERRORS.labels(self.service, source).inc()

    async def _sample_outbox(self) -> None:
        pending = outbox.c.published_at.is_(None)
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(
                        func.count(),
                        func.coalesce(func.extract("epoch", func.now() - func.min(outbox.c.created_at)), 0),
                    ).where(pending)
                )
            ).one()
        OUTBOX_PENDING.labels(self.service).set(row[0])
        OUTBOX_OLDEST_AGE.labels(self.service).set(float(row[1]))

    async def _clients(self) -> tuple[AIOKafkaConsumer, AIOKafkaAdminClient]:
        if self._consumer is None:
            consumer = AIOKafkaConsumer(bootstrap_servers=self._bootstrap, group_id=None)
            admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap)
            try:
                await consumer.start()
                await admin.start()
            except BaseException:
                await consumer.stop()
                await admin.close()
                raise
            self._consumer, self._admin = consumer, admin
        return self._consumer, self._admin

    async def _sample_kafka(self) -> None:
        consumer, admin = await self._clients()
        consumed = {t for topics in self._groups.values() for t in topics}
        dead_letters = {dlq_topic(t) for t in consumed}
        existing = await consumer.topics()  # asking for every topic never creates one
        described = await admin.describe_topics(sorted((consumed | dead_letters) & existing))
        partitions = {
            d["topic"]: [TopicPartition(d["topic"], p["partition"]) for p in d["partitions"]] for d in described
        }
        every = [tp for tps in partitions.values() for tp in tps]
        end = await consumer.end_offsets(every) if every else {}
        start = await consumer.beginning_offsets(every) if every else {}
        for topic in dead_letters:
            held = sum(end[tp] - start[tp] for tp in partitions.get(topic, ()))
            DLQ_MESSAGES.labels(self.service, topic).set(held)
        for group, topics in self._groups.items():
            committed = await admin.list_consumer_group_offsets(group)
            for topic in topics:
                lag = 0
                for tp in partitions.get(topic, ()):
                    done = committed.get(tp)
                    position = done.offset if done is not None and done.offset >= 0 else start[tp]
                    lag += max(end[tp] - position, 0)
                CONSUMER_LAG.labels(self.service, group, topic).set(lag)

    async def close(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
        if self._admin is not None:
            await self._admin.close()
        self._consumer = self._admin = None


router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus text format; samples this process's sources first."""
    sampler: MetricsSampler | None = getattr(request.app.state, "metrics_sampler", None)
    if sampler is not None:
        await sampler.sample()
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
