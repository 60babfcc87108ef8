"""One matching service for the session: private database and topics, served on loopback."""

import asyncio
import contextlib
from dataclasses import dataclass

import httpx
import pytest
from matching_support import DATABASE, Collector, Publisher, fresh_matching

from matching.main import create_app
from matching.settings import Settings
from teilhabe_kit.testing import serve


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
    settings, engine = await fresh_matching(kafka_bootstrap, DATABASE)
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
