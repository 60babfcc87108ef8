"""Kit tests run against the real PostgreSQL (a private database per run) and the real Kafka broker."""

import uuid

import pytest
from kit_support import test_metadata
from sqlalchemy import text

from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import drop_database, ensure_database, migrate


@pytest.fixture(scope="session")
async def kit_database_url(stack):
    """A fresh database for this run, so concurrent runs never drop each other's tables."""
    name = f"kit_test_{uuid.uuid4().hex[:8]}"
    url = await ensure_database(name)
    await migrate(None, url)  # the kit's own Alembic history
    yield url
    await drop_database(name)


@pytest.fixture(scope="session")
async def engine(kit_database_url):
    engine = create_engine(kit_database_url)
    async with engine.begin() as conn:
        await conn.run_sync(test_metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def clean_outbox(engine):
    """Tests that drive the relay start from an empty outbox."""
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE outbox"))
