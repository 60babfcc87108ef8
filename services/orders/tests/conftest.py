"""Orders service tests: the service on the real PostgreSQL and Kafka, served on loopback, with
private topics standing in for identity's, contracts' and its own (so no other consumer sees them)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import httpx
import pytest

from orders.main import create_app
from orders.settings import Settings
from teilhabe_kit.testing import bearer, create_topics, ensure_database, migrate, serve, unique_topic


@pytest.fixture(scope="session")
async def service(stack, kafka_bootstrap, token_issuer):
    url = await ensure_database("orders_test")  # private: replay tests empty views the platform would use
    await migrate("orders", url)
    settings = Settings(
        database_url=url,
        orders_topic=unique_topic("orders"),
        identity_topic=unique_topic("identity"),
        contracts_topic=unique_topic("contracts"),
        consumer_group_prefix=unique_topic("orders-test"),
        relay_poll_seconds=0.2,
    )
    await create_topics(kafka_bootstrap, settings.orders_topic, settings.identity_topic, settings.contracts_topic)
    app = create_app(settings)
    async with serve(app) as base:
        yield SimpleNamespace(app=app, url=base, settings=settings, bootstrap=kafka_bootstrap, engine=app.state.engine)


@pytest.fixture
async def client(service):
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/orders", timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def as_(token_issuer):
    """`as_(account_id, *roles, organisation_id=..., acting_for=...)` → Authorization header."""
    return lambda account_id, *roles, **extra: bearer(token_issuer, account_id, *roles, **extra)


@pytest.fixture(scope="session")
def new_id():
    return lambda prefix="": f"{prefix}{uuid.uuid4()}"
