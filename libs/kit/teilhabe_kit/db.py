"""Async SQLAlchemy engine on asyncpg."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


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
