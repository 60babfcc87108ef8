"""Contracts service tests: the service on the real PostgreSQL and Kafka, served on loopback.

Identity's re-authentication endpoint is not there yet (see contracts.app.reauth): a small HTTP
app with the same contract (POST {"password"} with the caller's token → 204 or 422) stands in for
it, so the service's real HTTP client is exercised.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import httpx
import pytest
from teilhabe_events import registry
from teilhabe_kit.testing import bearer, create_topics, database_url, migrate, serve

from contracts.main import create_app
from contracts.settings import Settings
from contracts_support import events_on, identity_stand_in, publish_event


@pytest.fixture(scope="session")
async def contracts_app(stack, token_issuer, kafka_bootstrap):
    await migrate("contracts", database_url("contracts"))
    # on a fresh broker no topic exists yet: a consumer subscribed to a missing topic would wait for
    # its next metadata refresh (minutes), so every topic read or written here is created first
    ours = sorted(t for t in registry.topics() if t.startswith("contracts."))
    await create_topics(kafka_bootstrap, "orders.order.v1", "orders.order.v1.dlq", "identity.account.v1", *ours)
    async with serve(identity_stand_in()) as identity_url:
        settings = Settings(database_url=database_url("contracts"), reauth_url=f"{identity_url}/reauthenticate",
                            relay_poll_seconds=0.2)
        app = create_app(settings)
        async with serve(app) as url:
            yield SimpleNamespace(app=app, url=url, engine=lambda: app.state.engine)


@pytest.fixture
async def client(contracts_app):
    async with httpx.AsyncClient(base_url=contracts_app.url, timeout=30) as client:
        yield client


@pytest.fixture
def as_(token_issuer):
    """`as_(account_id, *roles, organisation_id=..., acting_for=...)` → Authorization header."""
    return lambda account_id, *roles, **extra: bearer(token_issuer, account_id, *roles, **extra)


@pytest.fixture
def ids():
    return lambda prefix="": f"{prefix}{uuid.uuid4()}"


@pytest.fixture
def publish(kafka_bootstrap):
    return lambda event, **kw: publish_event(kafka_bootstrap, event, **kw)


@pytest.fixture
def kafka_events(kafka_bootstrap):
    return lambda topic, key, until, **kw: events_on(kafka_bootstrap, topic, key, until=until, **kw)
