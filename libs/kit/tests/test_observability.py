"""Traces and metrics end to end on the real stack: HTTP → outbox → Kafka → consumer, /metrics."""

import asyncio
import uuid

import httpx
import pytest
from fastapi import APIRouter, Request
from kit_support import TEST_EVENTS, TallyProjection, event, new_stream_id, test_metadata
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY
from sqlalchemy import text

from teilhabe_kit import outbox
from teilhabe_kit.db import create_engine
from teilhabe_kit.metrics import MetricsSampler
from teilhabe_kit.service import create_service_app
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.telemetry import configured_exporters, setup_tracing
from teilhabe_kit.testing import (
    create_topics,
    drop_database,
    ensure_database,
    migrate,
    publish_raw,
    serve,
    unique_topic,
)

SERVICE = "kit_test"


@pytest.fixture
async def topic(kafka_bootstrap):
    name = unique_topic("trace")
    await create_topics(kafka_bootstrap, name, f"{name}.dlq", partitions=1)
    return name


@pytest.fixture(scope="module")
async def private_url(stack):
    """A database of this module's own: outbox figures no other test run (or relay) can change."""
    name = f"kit_metrics_{uuid.uuid4().hex[:8]}"
    url = await ensure_database(name)
    await migrate(None, url)
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(test_metadata.create_all)
    await engine.dispose()
    yield url
    await drop_database(name)


@pytest.fixture
async def private_engine(private_url):
    engine = create_engine(private_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
def spans():
    exporter = InMemorySpanExporter()
    setup_tracing(SERVICE).add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


def recording_router(topic: str) -> APIRouter:
    router = APIRouter(prefix="/api/v1/kit-test")

    @router.post("/happenings/{stream_id}", status_code=202)
    async def happen(stream_id: str, request: Request) -> dict:
        async with request.app.state.engine.begin() as conn:
            await outbox.record(conn, topic, [event(stream_id)])
        return {"stream_id": stream_id}

    return router


def ancestors(span, finished) -> list[int]:
    """Span ids from `span`'s parent up to the root (spans of this process only)."""
    by_id = {s.context.span_id: s for s in finished}
    chain, parent = [], span.parent
    while parent is not None:
        chain.append(parent.span_id)
        above = by_id.get(parent.span_id)
        parent = above.parent if above else None
    return chain


def gauge(name: str, **labels) -> float | None:
    return REGISTRY.get_sample_value(name, {"service": SERVICE} | labels)


async def test_one_trace_spans_the_http_command_and_the_consumer_of_its_event(
    private_url, private_engine, kafka_bootstrap, topic, spans
):
    projection = TallyProjection(f"trace-{topic}", [topic])
    settings = ServiceSettings(
        service_name=SERVICE,
        database_url=private_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        relay_poll_seconds=0.2,
    )
    app = create_service_app(
        settings, title="trace test", routers=[recording_router(topic)], projections=[projection], events=TEST_EVENTS
    )
    stream = new_stream_id()
    async with serve(app) as url, httpx.AsyncClient(base_url=url) as client:
        assert (await client.post(f"/api/v1/kit-test/happenings/{stream}")).status_code == 202
        async with asyncio.timeout(60):
            while not (consumed := [s for s in spans.get_finished_spans() if s.name == f"consume {topic}"]):
                await asyncio.sleep(0.1)
        exposition = (await client.get("/metrics")).text

    (server,) = [s for s in spans.get_finished_spans() if s.name == f"POST /api/v1/kit-test/happenings/{stream}"]
    (consumer,) = consumed
    assert consumer.context.trace_id == server.context.trace_id
    chain = ancestors(consumer, spans.get_finished_spans())
    assert server.context.span_id in chain, [s.name for s in spans.get_finished_spans()]
    async with private_engine.connect() as conn:
        assert [stream_id for stream_id, _ in (await projection.snapshot(conn)).values()] == [stream]

    route = 'route="/api/v1/kit-test/happenings/{stream_id}"'
    assert (
        f'teilhabe_http_request_duration_seconds_count{{method="POST",{route},service="{SERVICE}",status="202"}} 1.0'
        in exposition
    )
    assert gauge("teilhabe_outbox_pending_events") == 0
    assert gauge("teilhabe_consumer_lag_messages", group=projection.name, topic=topic) == 0
    assert gauge("teilhabe_dlq_messages", topic=f"{topic}.dlq") == 0
    applied = {"group": projection.name, "outcome": "applied"}
    assert REGISTRY.get_sample_value("teilhabe_consumer_event_seconds_count", applied) == 1
    assert 0 < REGISTRY.get_sample_value("teilhabe_consumer_event_age_seconds_sum", {"group": projection.name}) < 60


async def test_sampler_reports_backlog_age_lag_and_dead_letters(private_engine, kafka_bootstrap, topic):
    async with private_engine.begin() as conn:
        await outbox.record(conn, topic, [event(new_stream_id())])
        await conn.execute(text("UPDATE outbox SET created_at = now() - interval '1 hour'"))
    for n in range(3):
        await publish_raw(kafka_bootstrap, topic, f"not consumed {n}".encode())
    await publish_raw(kafka_bootstrap, f"{topic}.dlq", b"poison")
    group = f"idle-{uuid.uuid4().hex[:8]}"
    sampler = MetricsSampler(SERVICE, private_engine, kafka_bootstrap, groups={group: [topic]})
    try:
        await sampler.sample()
    finally:
        await sampler.close()
    assert gauge("teilhabe_outbox_pending_events") == 1
    assert 3600 <= gauge("teilhabe_outbox_oldest_pending_age_seconds") < 3700
    assert gauge("teilhabe_consumer_lag_messages", group=group, topic=topic) == 3
    assert gauge("teilhabe_dlq_messages", topic=f"{topic}.dlq") == 1


async def test_an_unreachable_source_is_counted_not_raised(engine):
    before = gauge("teilhabe_metrics_sample_errors_total", source="kafka") or 0
    sampler = MetricsSampler(SERVICE, engine, "127.0.0.1:1", groups={"g": ["t"]}, outbox=False)
    await sampler.sample()
    await sampler.close()
    assert gauge("teilhabe_metrics_sample_errors_total", source="kafka") == before + 1


def test_exporters_only_when_configured():
    assert configured_exporters({}) == []
    assert configured_exporters({"OTEL_EXPORTER_OTLP_ENDPOINT": ""}) == []
    (otlp,) = configured_exporters({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"})
    assert type(otlp.span_exporter).__name__ == "OTLPSpanExporter"
    (console,) = configured_exporters({"OTEL_TRACES_EXPORTER": "console"})
    assert type(console.span_exporter).__name__ == "ConsoleSpanExporter"
    for processor in (otlp, console):
        processor.shutdown()
