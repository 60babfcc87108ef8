"""Kit tests run against the real PostgreSQL (a private database per run) and the real Kafka broker."""

import uuid

import pytest
from kit_support import test_metadata
from sqlalchemy import text

from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import database_url, ensure_database, migrate


@pytest.fixture(scope="session")
async def kit_database_url(stack):
    """A fresh database for this run, so concurrent runs never drop each other's tables."""
    name = f"kit_test_{uuid.uuid4().hex[:8]}"
    url = await ensure_database(name)
    await migrate(None, url)  # the kit's own Alembic history
    yield url
    admin = create_engine(database_url("kit_test")).execution_options(isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


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
