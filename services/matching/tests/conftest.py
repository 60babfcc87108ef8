"""One matching service for the session: private database and topics, served on loopback."""

import asyncio
import contextlib
from dataclasses import dataclass

import httpx
import pytest
from matching_support import DATABASE, Collector, Publisher
from sqlalchemy import text

from matching.main import create_app
from matching.readmodels.tables import metadata
from matching.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import create_topics, ensure_database, migrate, serve, unique_topic


@dataclass
class Matching:
    settings: Settings
    client: httpx.AsyncClient
    publisher: Publisher
    output: Collector
    engine: object
    app: object

    async def identity(self, *envelopes):
        await self.publisher.send(self.settings.identity_topic, *envelopes)

    async def orders(self, *envelopes):
        await self.publisher.send(self.settings.orders_topic, *envelopes)


@pytest.fixture(scope="session")
async def matching(stack, kafka_bootstrap, token_issuer):
    url = await ensure_database(DATABASE)
    await migrate("matching", url)
    engine = create_engine(url)
    async with engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {names}, outbox, processed_events"))
    settings = Settings(
        database_url=url,
        identity_topic=unique_topic("identity"),
        orders_topic=unique_topic("orders"),
        output_topic=unique_topic("matching"),
        consumer_group=unique_topic("matching-group"),
        relay_poll_seconds=0.2,
    )
    await create_topics(kafka_bootstrap, settings.identity_topic, settings.orders_topic, settings.output_topic)
    publisher = Publisher(kafka_bootstrap)
    output = Collector(kafka_bootstrap, settings.output_topic, engine)
    collecting = asyncio.create_task(output.run())
    await publisher.producer.start()
    app = create_app(settings)
    try:
        async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
            yield Matching(settings, client, publisher, output, engine, app)
    finally:
        collecting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collecting
        await publisher.producer.stop()
        await engine.dispose()


@pytest.fixture(scope="session")
async def query_replica(matching):
    """A second instance on the same database that only answers queries (no consumers, no relay)."""
    settings = matching.settings.model_copy(update={"run_consumers": False, "run_relay": False})
    async with serve(create_app(settings)) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        yield client
