"""Centres service tests: the service on the real PostgreSQL and Kafka, served on loopback, with a
private centres topic and consumer groups (so no other consumer sees them)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace

import httpx
import pytest

from centres.main import create_app
from centres.settings import Settings
from teilhabe_kit.testing import bearer, create_topics, ensure_database, migrate, serve, unique_topic


@pytest.fixture(scope="session")
async def service(stack, kafka_bootstrap, token_issuer) -> AsyncIterator[SimpleNamespace]:
    url = await ensure_database("centres_test")  # private: replay tests empty views the platform would use
    await migrate("centres", url)
    settings = Settings(
        database_url=url,
        centres_topic=unique_topic("centres"),
        consumer_group_prefix=unique_topic("centres-test"),
        relay_poll_seconds=0.2,
    )
    await create_topics(kafka_bootstrap, settings.centres_topic)
    app = create_app(settings)
    async with serve(app) as base:
        yield SimpleNamespace(app=app, url=base, settings=settings, bootstrap=kafka_bootstrap, engine=app.state.engine)


@pytest.fixture
async def client(service) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/centres", timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def as_(token_issuer) -> Callable[..., dict[str, str]]:
    """`as_(account_id, *roles, organisation_id=...)` → Authorization header."""
    return lambda account_id, *roles, **extra: bearer(token_issuer, account_id, *roles, **extra)


@pytest.fixture(scope="session")
def admin(as_) -> dict[str, str]:
    """A platform admin."""
    return as_(f"admin-{uuid.uuid4()}", "admin")
