"""ensure_database creates a missing database once and leaves an existing one alone."""

import uuid

import asyncpg
from teilhabe_kit.databases import ensure_database


async def test_creates_a_missing_database_and_is_idempotent(stack):
    name = f"kit_ensure_{uuid.uuid4().hex[:8]}"
    url = await ensure_database(name)
    assert url.endswith(f"/{name}") and await ensure_database(name) == url
    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(plain)
    assert await conn.fetchval("SELECT current_database()") == name
    await conn.close()
    admin = await asyncpg.connect(plain.rsplit("/", 1)[0] + "/postgres")
    await admin.execute(f'DROP DATABASE "{name}"')
    await admin.close()
