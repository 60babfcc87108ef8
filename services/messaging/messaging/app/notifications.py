"""Notifications: created once per (source event, recipient, kind), pushed, queued for e-mail/SMS."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.domain.notices import Notice
from messaging.readmodels.tables import deliveries, notifications, preferences
from teilhabe_events.contexts.messaging import NotificationCreated
from teilhabe_kit import sealing
from teilhabe_kit.streams import append

NOTIFY_CHANNEL = "messaging_notifications"


async def one_at_a_time(conn: AsyncConnection, recipient_id: str) -> None:
    """Creations for one recipient commit in the order of their `seq` (the SSE event id): each waits
    for the one in progress (a transaction lock per recipient). Without it two consumer replicas could
    commit seq 11 before seq 10, and a stream that sent 11 would never send 10 (`since` reads after 11)."""
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(f"notifications:{recipient_id}", 0))))


async def channels_for(conn: AsyncConnection, person_id: str, *, urgent: bool) -> list[str]:
    """E-mail unless switched off (always for urgent notices), SMS when chosen; in-app always."""
    row = (await conn.execute(select(preferences).where(preferences.c.person_id == person_id))).first()
    email = True if row is None or urgent else row.email
    sms = bool(row and row.sms)
    return [name for name, wanted in (("email", email), ("sms", sms)) if wanted]


async def create(
    conn: AsyncConnection,
    notice: Notice,
    recipient_id: str,
    *,
    source_event_id: str | None = None,
    causation_id: uuid.UUID | None = None,
) -> str | None:
    """Create the notification (once per source event) with its deliveries; its id, or None if known."""
    if await sealing.is_erased(conn, recipient_id):
        return None
    notification_id = uuid.uuid4().hex
    await one_at_a_time(conn, recipient_id)
    created = await conn.scalar(
        insert(notifications)
        .values(
            id=notification_id,
            recipient_id=recipient_id,
            kind=notice.kind,
            title=notice.title,
            body=notice.body,
            link=notice.link,
            reference=notice.reference,
            source_event_id=source_event_id,
        )
        .on_conflict_do_nothing(constraint="uq_notification_source")
        .returning(notifications.c.id)
    )
    if created is None:
        return None
    channels = await channels_for(conn, recipient_id, urgent=notice.urgent)
    if channels:
        await conn.execute(insert(deliveries), [{"notification_id": notification_id, "channel": c} for c in channels])
    await append(
        conn,
        notification_id,
        [NotificationCreated(recipient_id=recipient_id, kind=notice.kind, source_event_id=source_event_id)],
        causation_id=causation_id,
    )
    await conn.execute(select(func.pg_notify(NOTIFY_CHANNEL, recipient_id)))
    return notification_id


def as_json(row, delivery_rows=()) -> dict:
    return {
        "id": row.id,
        "event_id": row.seq,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "link": row.link,
        "created_at": row.created_at.isoformat(),
        "read_at": row.read_at.isoformat() if row.read_at else None,
        "deliveries": [
            {
                "channel": d.channel,
                "state": d.state,
                "attempts": d.attempts,
                "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
            }
            for d in delivery_rows
        ],
    }


async def inbox(
    conn: AsyncConnection, person_id: str, *, unread_only: bool, before: int | None, limit: int
) -> list[dict]:
    query = select(notifications).where(notifications.c.recipient_id == person_id)
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    if before is not None:
        query = query.where(notifications.c.seq < before)
    rows = (await conn.execute(query.order_by(notifications.c.seq.desc()).limit(limit))).all()
    ids = [row.id for row in rows]
    by_id: dict[str, list] = {}
    if ids:
        for d in await conn.execute(
            select(deliveries).where(deliveries.c.notification_id.in_(ids)).order_by(deliveries.c.channel)
        ):
            by_id.setdefault(d.notification_id, []).append(d)
    return [as_json(row, by_id.get(row.id, [])) for row in rows]


async def since(conn: AsyncConnection, person_id: str, after_seq: int, limit: int = 500) -> Sequence[Row[Any]]:
    """Notifications of a person after an SSE event id, oldest first."""
    return (
        await conn.execute(
            select(notifications)
            .where(notifications.c.recipient_id == person_id, notifications.c.seq > after_seq)
            .order_by(notifications.c.seq)
            .limit(limit)
        )
    ).all()


async def latest_seq(conn: AsyncConnection, person_id: str) -> int:
    latest = select(func.coalesce(func.max(notifications.c.seq), 0)).where(notifications.c.recipient_id == person_id)
    return int((await conn.execute(latest)).scalar_one())


async def unread_count(conn: AsyncConnection, person_id: str) -> int:
    unread = select(func.count()).where(notifications.c.recipient_id == person_id, notifications.c.read_at.is_(None))
    return (await conn.execute(unread)).scalar_one()


async def mark_read(conn: AsyncConnection, person_id: str, notification_id: str | None, now: datetime) -> int:
    """Mark one (or, without id, every) unread notification of the person read; how many changed."""
    query = update(notifications).where(notifications.c.recipient_id == person_id, notifications.c.read_at.is_(None))
    if notification_id is not None:
        query = query.where(notifications.c.id == notification_id)
    return (await conn.execute(query.values(read_at=now))).rowcount


async def exists_for(conn: AsyncConnection, person_id: str, notification_id: str) -> bool:
    return (
        await conn.scalar(
            select(notifications.c.id).where(
                notifications.c.id == notification_id, notifications.c.recipient_id == person_id
            )
        )
        is not None
    )


def _like(person_id: str, notice: Notice):
    return (
        (notifications.c.recipient_id == person_id)
        & (notifications.c.kind == notice.kind)
        & (notifications.c.link == notice.link)
        & notifications.c.read_at.is_(None)
    )


async def unread_like(conn: AsyncConnection, person_id: str, notice: Notice) -> bool:
    """Whether the person still has an unread notification of this kind and link."""
    return await conn.scalar(select(notifications.c.id).where(_like(person_id, notice)).limit(1)) is not None


async def mark_read_like(conn: AsyncConnection, person_id: str, notice: Notice, now: datetime) -> None:
    await conn.execute(update(notifications).where(_like(person_id, notice)).values(read_at=now))
