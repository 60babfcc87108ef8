"""Appointments service tests: the service on the real PostgreSQL and Kafka (a private database),
served on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import SimpleNamespace

import httpx
import pytest

from appointments.main import create_app
from appointments.settings import Settings
from teilhabe_kit.testing import create_topics, ensure_database, migrate, serve, unique_topic


@pytest.fixture(scope="session")
async def service(stack, kafka_bootstrap, token_issuer) -> AsyncIterator[SimpleNamespace]:
    url = await ensure_database("appointments_test")
    await migrate("appointments", url)
    settings = Settings(
        database_url=url,
        relay_poll_seconds=0.2,
        offer_sweep_seconds=0.3,
        identity_topic=unique_topic("identity-account"),
        counseling_topic=unique_topic("counseling-client"),
        consumer_group_prefix=unique_topic("appointments-test"),
    )
    await create_topics(kafka_bootstrap, settings.identity_topic, settings.counseling_topic)
    app = create_app(settings)
    async with serve(app) as base:
        yield SimpleNamespace(app=app, url=base, settings=settings, bootstrap=kafka_bootstrap, engine=app.state.engine)


@pytest.fixture
async def client(service) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/appointments", timeout=60) as client:
        yield client
