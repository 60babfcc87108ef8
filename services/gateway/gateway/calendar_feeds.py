"""Assistants' iCalendar feeds: a secret URL per assistant (only its hash is kept), renewed or ended
by the assistant; the feed serves the assignments as of the assistant's last visit to the calendar
(sealed with the gateway's session key), since the feed's caller has no session to ask the services."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.sessions import SessionStore
from gateway.tables import calendar_feeds


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def renew(engine: AsyncEngine, account_id: str) -> str:
    """A new secret for the account's feed (an earlier URL stops working); returns the secret."""
    token = secrets.token_urlsafe(24)
    row = {"token_hash": _hash(token), "data": None, "updated_at": datetime.now(UTC)}
    async with engine.begin() as conn:
        await conn.execute(
            insert(calendar_feeds)
            .values(account_id=account_id, **row)
            .on_conflict_do_update(index_elements=["account_id"], set_=row)
        )
    return token


async def end(engine: AsyncEngine, account_id: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(delete(calendar_feeds).where(calendar_feeds.c.account_id == account_id))


async def exists(engine: AsyncEngine, account_id: str) -> bool:
    async with engine.connect() as conn:
        found = await conn.scalar(select(calendar_feeds.c.account_id).where(calendar_feeds.c.account_id == account_id))
    return found is not None


async def store(engine: AsyncEngine, sessions: SessionStore, account_id: str, text: str) -> None:
    """Keep the latest iCalendar text of the account's feed (nothing when there is no feed)."""
    async with engine.begin() as conn:
        await conn.execute(
            update(calendar_feeds)
            .where(calendar_feeds.c.account_id == account_id)
            .values(data=sessions.seal({"ics": text}, account_id.encode()), updated_at=datetime.now(UTC))
        )


async def read(engine: AsyncEngine, sessions: SessionStore, token: str) -> str | None:
    """The feed's iCalendar text for the secret `token`, or None for an unknown or ended feed."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(calendar_feeds.c.account_id, calendar_feeds.c.data).where(
                    calendar_feeds.c.token_hash == _hash(token)
                )
            )
        ).first()
    if row is None:
        return None
    return sessions.unseal(row.data, row.account_id.encode())["ics"] if row.data else ""
