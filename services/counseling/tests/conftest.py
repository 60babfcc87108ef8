"""Counseling's service tests: the service and a real identity (each on a private database) on the
real PostgreSQL and Kafka, served once per test session. Tokens are signed with the key identity
signs with, so a client's real sign-in and the tests' staff tokens are both accepted."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from types import SimpleNamespace

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from counseling_support import IDENTITY_SECRET, SERVICE_SECRET

from teilhabe_kit.auth import SigningKey, TokenIssuer
from teilhabe_kit.testing import drop_database, ensure_database, migrate, serve, unique_topic

RUN = uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    from identity.keys import from_pem

    return from_pem(SigningKey.generate().private_pem)  # the key id identity derives from the key


@pytest.fixture(scope="session")
def issuer(signing_key, token_issuer) -> TokenIssuer:
    """Signs as identity does. The session's JWKS gets this key beside the kit's test issuer's key
    (never instead of it: services of other modules in the same run keep verifying their tokens)."""
    issuer = TokenIssuer([signing_key])
    keys = token_issuer.jwks()["keys"] + issuer.jwks()["keys"]
    os.environ["IDENTITY_JWKS_JSON"] = json.dumps({"keys": keys})
    return issuer


async def start_at_end(bootstrap: str, group: str, topic: str) -> None:
    """The test's fresh consumer group starts where identity's shared topic ends now (its history
    belongs to other runs and would take minutes to read)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    partitions = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit(dict(ends))
    finally:
        await consumer.stop()


@pytest.fixture(scope="session")
async def world(stack, kafka_bootstrap, issuer, signing_key) -> AsyncIterator[SimpleNamespace]:
    from counseling.main import create_app
    from counseling.settings import Settings
    from identity.main import create_app as create_identity
    from identity.settings import Settings as IdentitySettings

    identity_db = await ensure_database(f"counseling_identity_test_{RUN}")
    counseling_db = await ensure_database(f"counseling_test_{RUN}")
    await migrate("identity", identity_db)
    await migrate("counseling", counseling_db)
    identity_settings = IdentitySettings(
        database_url=identity_db,
        signing_key_pem=signing_key.private_pem.decode(),
        service_credentials=IDENTITY_SECRET,
        run_consumers=False,
        relay_poll_seconds=0.2,
    )
    identity_app = create_identity(identity_settings)
    async with serve(identity_app) as identity_url:
        settings = Settings(
            database_url=counseling_db,
            identity_url=identity_url,
            identity_credential=IDENTITY_SECRET,
            service_credentials=SERVICE_SECRET,
            consumer_group_prefix=unique_topic("counseling-test"),
            relay_poll_seconds=0.2,
        )
        await start_at_end(kafka_bootstrap, f"{settings.consumer_group_prefix}.identity", settings.identity_topic)
        app = create_app(settings)
        async with serve(app) as url:
            yield SimpleNamespace(
                url=url,
                identity_url=identity_url,
                engine=app.state.engine,
                identity_engine=identity_app.state.engine,
                settings=settings,
                bootstrap=kafka_bootstrap,
            )
    await drop_database(f"counseling_identity_test_{RUN}")
    await drop_database(f"counseling_test_{RUN}")


@pytest.fixture
async def api(world) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{world.url}/api/v1/counseling", timeout=30) as client:
        yield client


@pytest.fixture
async def identity(world) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as client:
        yield client
