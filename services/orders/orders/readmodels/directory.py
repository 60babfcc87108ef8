"""Accounts as orders knows them from identity's events: role, active status, provider membership."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from orders.domain.decide import Assistant
from orders.readmodels.tables import accounts


async def _row(conn: AsyncConnection, account_id: str):
    return (await conn.execute(select(accounts).where(accounts.c.account_id == account_id))).first()


def _active(row) -> bool:
    return row is not None and row.activated and not (row.locked or row.deleting or row.erased)


async def assistant(conn: AsyncConnection, account_id: str) -> Assistant:
    """The assistant's facts; an account orders has not heard of (or no assistant) counts as not active."""
    row = await _row(conn, account_id)
    if row is None or row.role != "assistant":
        return Assistant(account_id=account_id, active=False)
    return Assistant(account_id=account_id, active=_active(row), organisation_id=row.organisation_id)


async def is_active_seeker(conn: AsyncConnection, account_id: str) -> bool:
    row = await _row(conn, account_id)
    return row is not None and row.role == "seeker" and _active(row)
