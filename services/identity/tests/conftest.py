"""Identity's service tests: the real app on loopback against the real PostgreSQL (database
`identity_test`) and Kafka (the real topics identity.account.v1 / identity.organisation.v1)."""

import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from identity_support import ACCOUNT_TOPIC, ORGANISATION_TOPIC, SERVICE_SECRET

from identity.keys import from_pem
from identity.main import create_app
from identity.settings import Settings
from teilhabe_kit.auth import SigningKey, TokenIssuer
from teilhabe_kit.testing import drop_database, ensure_database, migrate, serve

DATABASE = f"identity_test_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return from_pem(SigningKey.generate().private_pem)


@pytest.fixture(scope="session")
def identity_issuer(signing_key) -> TokenIssuer:
    """Signs tokens exactly as the running identity does (same key) for authorization tests."""
    return TokenIssuer([signing_key])


@pytest.fixture(scope="session")
async def identity_db(stack) -> AsyncIterator[str]:
    """A database of this run alone: never a locally running platform's data, and never a suite on
    another branch whose migrations this checkout does not know."""
    url = await ensure_database(DATABASE)
    yield url
    await drop_database(DATABASE)


@pytest.fixture(scope="session")
def identity_settings(identity_db, signing_key) -> Settings:
    return Settings(
        database_url=identity_db,
        signing_key_pem=signing_key.private_pem.decode(),
        service_credentials=SERVICE_SECRET,
        run_consumers=False,
        relay_poll_seconds=0.2,
        deletion_retention_days=30,
    )


async def ensure_topics(bootstrap: str) -> None:
    """Identity's public topics exist before the first test reads them (a fresh broker has none)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        missing = {ACCOUNT_TOPIC, ORGANISATION_TOPIC} - set(await admin.list_topics())
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([NewTopic(name=t, num_partitions=3, replication_factor=1) for t in missing])
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def identity_app(identity_settings, kafka_bootstrap):
    await ensure_topics(kafka_bootstrap)
    await migrate("identity", identity_settings.resolved_database_url())
    app = create_app(identity_settings)
    async with serve(app) as url:
        yield app, url


@pytest.fixture
async def client(identity_app):
    async with httpx.AsyncClient(base_url=identity_app[1], timeout=30) as client:
        yield client


@pytest.fixture
def engine(identity_app):
    return identity_app[0].state.engine
