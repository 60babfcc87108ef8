"""Async SQLAlchemy engine on asyncpg."""

from __future__ import annotations

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """An async engine on asyncpg; after a database restart the pool heals on first use."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,  # a ping per checkout costs ~25 % of append throughput; dead
        # connections after a database restart are invalidated on first use (that request gets 503)
        pool_recycle=1800,
    )


async def asyncpg_connection(conn: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under `conn` (for COPY and bulk reads), inside `conn`'s transaction:
    SQLAlchemy begins lazily, so a trivial statement starts it when nothing has run yet."""
    raw = (await conn.get_raw_connection()).driver_connection
    assert isinstance(raw, asyncpg.Connection)
    if not raw.is_in_transaction() and conn.in_transaction():
        await conn.execute(text("SELECT 1"))
    return raw
