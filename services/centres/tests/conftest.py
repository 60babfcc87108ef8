"""Centres service tests: the service on the real PostgreSQL and Kafka, served on loopback, with a
private centres topic and consumer groups (so no other consumer sees them)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from centres.main import create_app
from centres.settings import Settings
from teilhabe_kit.testing import Served, ensure_database, migrate, serve_service, unique_topic


@pytest.fixture(scope="session")
async def service(stack, kafka_bootstrap, token_issuer) -> AsyncIterator[Served]:
    url = await ensure_database("centres_test")  # private: replay tests empty views the platform would use
    await migrate("centres", url)
    settings = Settings(
        database_url=url,
        centres_topic=unique_topic("centres"),
        consumer_group_prefix=unique_topic("centres-test"),
        relay_poll_seconds=0.2,
    )
    async with serve_service(create_app, settings, kafka_bootstrap, [settings.centres_topic]) as served:
        yield served


@pytest.fixture
async def client(service) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/centres", timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def admin(as_) -> dict[str, str]:
    """A platform admin."""
    return as_(f"admin-{uuid.uuid4()}", "admin")
