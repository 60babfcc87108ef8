"""Kit tests run against the real PostgreSQL (database `kit_test`) and the real Kafka broker."""

import pytest
from sqlalchemy import text
from teilhabe_kit.db import create_engine
from teilhabe_kit.tables import kit_metadata
from teilhabe_kit.testing import database_url, migrate

from kit_support import test_metadata


@pytest.fixture(scope="session")
async def engine(stack):
    engine = create_engine(database_url("kit_test"))
    async with engine.begin() as conn:
        await conn.run_sync(kit_metadata.drop_all)
        await conn.run_sync(test_metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS kit_alembic_version"))
        await conn.execute(text("DROP FUNCTION IF EXISTS outbox_notify() CASCADE"))
    await migrate(None, database_url("kit_test"))  # the kit's own Alembic history
    async with engine.begin() as conn:
        await conn.run_sync(test_metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def clean_outbox(engine):
    """Tests that drive the relay start from an empty outbox."""
    async with engine.begin() as conn:
        await conn.execute(text("TRUNCATE outbox"))
