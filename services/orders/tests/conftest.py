"""Orders service tests: the service on the real PostgreSQL and Kafka, served on loopback, with
private topics standing in for identity's, contracts' and its own (so no other consumer sees them)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from orders.main import create_app
from orders.settings import Settings
from teilhabe_kit.testing import ensure_database, migrate, serve_service, unique_topic


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
    async with serve_service(
        create_app,
        settings,
        kafka_bootstrap,
        [settings.orders_topic, settings.identity_topic, settings.contracts_topic],
    ) as served:
        yield served


@pytest.fixture
async def client(service):
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/orders", timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def new_id():
    return lambda prefix="": f"{prefix}{uuid.uuid4()}"
