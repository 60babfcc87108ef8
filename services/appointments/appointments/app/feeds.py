"""A counselor's private iCalendar feed: a secret token in the URL (shown once), only its SHA-256
kept; a new one revokes the old; revoked → 410, unknown → 404. Only the counselor themselves may
create, see or revoke their feed (not admins: the URL is a credential)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app import access
from appointments.app.streams import now
from appointments.readmodels.tables import bookings_view, calendar_feeds, group_appointments_view
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Forbidden, NotFound, Problem

PAST_DAYS = 30
"""How far back the feed reaches (the horizon ahead is at most 8 weeks)."""
GONE = "Diese Kalender-Adresse ist gesperrt. Bitte erstellen Sie in Ihren Einstellungen eine neue."
UNKNOWN = "Diese Kalender-Adresse gibt es nicht."


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_owner(principal: Principal, centre_id: str, counselor_id: str) -> None:
    access.require_staff(principal, centre_id)
    if principal.account_id != counselor_id:
        raise Forbidden(
            "Die Kalender-Adresse kann nur die Beraterin oder der Berater selbst verwalten.",
            en="Only the counselor themselves manages their calendar address.",
        )


async def _revoke(conn: AsyncConnection, centre_id: str, counselor_id: str) -> int:
    result = await conn.execute(
        update(calendar_feeds)
        .where(
            calendar_feeds.c.centre_id == centre_id,
            calendar_feeds.c.counselor_id == counselor_id,
            calendar_feeds.c.revoked_at.is_(None),
        )
        .values(revoked_at=now())
    )
    return result.rowcount


async def create(conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str) -> str:
    """A new secret token (the old one revoked); returned once, never stored in clear."""
    _require_owner(principal, centre_id, counselor_id)
    await _revoke(conn, centre_id, counselor_id)
    token = secrets.token_urlsafe(32)
    await conn.execute(
        calendar_feeds.insert().values(
            token_hash=_hash(token), centre_id=centre_id, counselor_id=counselor_id, created_at=now()
        )
    )
    return token


async def revoke(conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str) -> None:
    _require_owner(principal, centre_id, counselor_id)
    if not await _revoke(conn, centre_id, counselor_id):
        raise NotFound("Sie haben keine Kalender-Adresse.", en="You have no calendar address.")


async def active_since(
    conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str
) -> datetime | None:
    _require_owner(principal, centre_id, counselor_id)
    return await conn.scalar(
        select(calendar_feeds.c.created_at).where(
            calendar_feeds.c.centre_id == centre_id,
            calendar_feeds.c.counselor_id == counselor_id,
            calendar_feeds.c.revoked_at.is_(None),
        )
    )


async def entries(conn: AsyncConnection, token: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The feed's bookings and group appointments (404 unknown token, 410 revoked)."""
    row = (await conn.execute(select(calendar_feeds).where(calendar_feeds.c.token_hash == _hash(token)))).first()
    if row is None:
        raise NotFound(UNKNOWN, en="There is no such calendar address.")
    if row.revoked_at is not None:
        raise Problem(GONE, status=410, title="Gone")
    since = now() - timedelta(days=PAST_DAYS)
    bookings = await conn.execute(
        select(bookings_view).where(
            bookings_view.c.centre_id == row.centre_id,
            bookings_view.c.counselor_id == row.counselor_id,
            bookings_view.c.status == "booked",
            bookings_view.c.starts_at >= since,
        )
    )
    groups = await conn.execute(
        select(group_appointments_view).where(
            group_appointments_view.c.centre_id == row.centre_id,
            group_appointments_view.c.counselor_id == row.counselor_id,
            group_appointments_view.c.starts_at >= since,
        )
    )
    return [dict(r._mapping) for r in bookings], [dict(r._mapping) for r in groups]
