"""Create a service's database when it is missing (private test databases, new deployments)."""

from __future__ import annotations

import contextlib

import asyncpg

from teilhabe_kit.migrations import database_url_for


async def ensure_database(name: str) -> str:
    """Create database `name` next to the others if it does not exist; returns its SQLAlchemy URL.

    The URL follows ``DATABASE_URL_<NAME>`` or the local default (see `database_url_for`).
    """
    url = database_url_for(name)
    server, _, database = url.replace("postgresql+asyncpg://", "postgresql://", 1).rpartition("/")
    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            with contextlib.suppress(asyncpg.DuplicateDatabaseError):  # created concurrently meanwhile
                await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()
    return url
