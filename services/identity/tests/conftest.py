"""Identity's service tests: the real app on loopback against the real PostgreSQL (database
`identity_test`) and Kafka (the real topics identity.account.v1 / identity.organisation.v1)."""

import contextlib

import asyncpg
import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from identity_support import ACCOUNT_TOPIC, ORGANISATION_TOPIC, SERVICE_SECRET

from identity.keys import from_pem
from identity.main import create_app
from identity.settings import Settings
from teilhabe_kit.auth import SigningKey, TokenIssuer
from teilhabe_kit.testing import database_url, migrate, serve

DATABASE = "identity_test"


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return from_pem(SigningKey.generate().private_pem)


@pytest.fixture(scope="session")
def identity_issuer(signing_key) -> TokenIssuer:
    """Signs tokens exactly as the running identity does (same key) for authorization tests."""
    return TokenIssuer([signing_key])


@pytest.fixture(scope="session")
async def identity_db(stack) -> str:
    """A database of its own, so tests never mix with a locally running platform's data."""
    url = database_url("identity").rsplit("/", 1)[0] + f"/{DATABASE}"
    admin = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql").rsplit("/", 1)[0] + "/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", DATABASE):
            await admin.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await admin.close()
    return url


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
