"""A service creates the topics it publishes to at start, not at its first publish."""

import logging
import uuid

import httpx
from aiokafka.admin import AIOKafkaAdminClient

import teilhabe_kit.service
from teilhabe_events import EventRegistry
from teilhabe_events.registry import DomainEvent
from teilhabe_kit.service import create_service_app
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.testing import serve


async def _existing_topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_the_topics_a_service_publishes_exist_once_it_started(
    kit_database_url, kafka_bootstrap, monkeypatch, caplog
):
    """Regression: the first publish to a fresh topic logged ERROR "Topic … not found in cluster
    metadata". The registry's topics of the service (here a service of its own) exist after start."""
    name = f"kittopics{uuid.uuid4().hex[:8]}"
    registry = EventRegistry()

    @registry.register
    class ThingHappened(DomainEvent):
        event_type = "ThingHappened"
        service = name
        stream_type = "thing"

    monkeypatch.setattr(teilhabe_kit.service, "registry", registry)
    assert f"{name}.thing.v1" not in await _existing_topics(kafka_bootstrap)
    settings = ServiceSettings(service_name=name, database_url=kit_database_url, run_consumers=False)
    caplog.set_level(logging.INFO)
    async with serve(create_service_app(settings, title="topics at start")) as url:
        async with httpx.AsyncClient() as client:
            assert (await client.get(f"{url}/health/live")).status_code == 200
        assert f"{name}.thing.v1" in await _existing_topics(kafka_bootstrap)
    assert not [r for r in caplog.records if "not found in cluster metadata" in r.getMessage()]
