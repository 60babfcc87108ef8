"""Contracts service tests: the service on the real PostgreSQL and Kafka, served on loopback.

Identity's contact, sign-in and sign-out endpoints that confirm a signer's password (see
contracts.app.reauth) are served by a small stand-in with the same paths and answers, so the
service's real HTTP client is exercised; tests/integration signs against the real identity.
"""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import httpx
import pytest
from contracts_support import CREDENTIAL, IDENTITY_CREDENTIAL, events_on, identity_stand_in, publish_event

from contracts.main import create_app
from contracts.settings import Settings
from teilhabe_events import dlq_topic, registry
from teilhabe_kit.testing import create_topics, ensure_database, migrate, serve, unique_topic


@pytest.fixture(scope="session")
async def contracts_app(stack, token_issuer, kafka_bootstrap):
    """The service on a private database and private input topics, so tests neither disturb a locally
    running platform nor see other services' test traffic. Its own topics are the real ones."""
    url = await ensure_database("contracts_test")
    await migrate("contracts", url)
    settings = Settings(
        database_url=url,
        orders_topic=unique_topic("orders"),
        identity_topic=unique_topic("identity"),
        consumer_group_prefix=unique_topic("contracts-test"),
        relay_poll_seconds=0.2,
        service_credentials=IDENTITY_CREDENTIAL,
    )
    # on a fresh broker no topic exists yet: a consumer subscribed to a missing topic would wait for
    # its next metadata refresh (minutes), so every topic read or written here is created first
    ours = sorted(t for t in registry.topics() if t.startswith("contracts."))
    await create_topics(
        kafka_bootstrap, settings.orders_topic, dlq_topic(settings.orders_topic), settings.identity_topic, *ours
    )
    logouts: list[str] = []
    async with serve(identity_stand_in(logouts)) as identity_url:
        app = create_app(settings.model_copy(update={"identity_url": identity_url, "identity_credential": CREDENTIAL}))
        async with serve(app) as url:
            yield SimpleNamespace(
                app=app, url=url, settings=settings, engine=lambda: app.state.engine, identity_logouts=logouts
            )


@pytest.fixture
async def client(contracts_app):
    async with httpx.AsyncClient(base_url=contracts_app.url, timeout=30) as client:
        yield client


@pytest.fixture
def ids():
    return lambda prefix="": f"{prefix}{uuid.uuid4()}"


@pytest.fixture
def publish(kafka_bootstrap, contracts_app):
    """Publish an orders or identity event on the service's (private) input topic."""
    topics = {"orders": contracts_app.settings.orders_topic, "identity": contracts_app.settings.identity_topic}
    return lambda event, **kw: publish_event(kafka_bootstrap, event, topic=topics[event.service], **kw)


@pytest.fixture
def kafka_events(kafka_bootstrap):
    return lambda topic, key, until, **kw: events_on(kafka_bootstrap, topic, key, until=until, **kw)
