"""Queries on mail counseling's read model: the assignment's counts, the inboxes, a person's
previous requests and the threads due for escalation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.domain.mail_settings import Openness
from counseling.readmodels.thread_tables import mail_threads as m

Box = Literal["new", "mine", "released", "overdue"]


async def previous_assignee(conn: AsyncConnection, client_id: str) -> str | None:
    """Who answered the client's latest assigned thread."""
    return await conn.scalar(
        select(m.c.assignee_id)
        .where(m.c.client_id == client_id, m.c.assignee_id.is_not(None))
        .order_by(m.c.created_at.desc())
        .limit(1)
    )


async def open_threads(conn: AsyncConnection, centre_id: str) -> dict[str, int]:
    """Open (unanswered or released) threads per assignee: the counselors' used resources."""
    rows = await conn.execute(
        select(m.c.assignee_id, func.count())
        .where(m.c.centre_id == centre_id, m.c.assignee_id.is_not(None), m.c.status != "answered")
        .group_by(m.c.assignee_id)
    )
    return {assignee: count for assignee, count in rows.all()}


async def inbox(
    conn: AsyncConnection,
    centre_id: str,
    box: Box,
    counselor_id: str,
    *,
    admin: bool,
    openness: Openness,
    overdue_days: int,
    now: datetime,
) -> Sequence[Row]:
    """new: nobody's yet · mine: assigned to the caller · released: to be taken over (as far as the
    openness allows) · overdue: waiting longer than the centre's period (the caller's and nobody's;
    admins: all). Oldest waiting first."""
    query = select(m).where(m.c.centre_id == centre_id)
    if box == "new":
        query = query.where(m.c.assignee_id.is_(None))
    elif box == "mine":
        query = query.where(m.c.assignee_id == counselor_id)
    elif box == "released":
        if openness == "closed" and not admin:
            return []
        query = query.where(m.c.status == "released")
    else:
        query = query.where(m.c.waiting_since < now - timedelta(days=overdue_days))
        if not admin:
            query = query.where(or_(m.c.assignee_id == counselor_id, m.c.assignee_id.is_(None)))
    query = query.order_by(m.c.waiting_since.asc().nulls_last(), m.c.created_at)
    return (await conn.execute(query.limit(500))).all()


async def of_client(conn: AsyncConnection, client_id: str) -> Sequence[Row]:
    """All requests of one person, newest first ("Bisherige Anfragen")."""
    return (await conn.execute(select(m).where(m.c.client_id == client_id).order_by(m.c.created_at.desc()))).all()


async def due_for_escalation(conn: AsyncConnection, waited_before: datetime) -> Sequence[Row]:
    """Threads waiting since before `waited_before` whose current wait was not escalated yet."""
    return (
        await conn.execute(
            select(m.c.id, m.c.centre_id, m.c.assignee_id, m.c.waiting_since).where(
                m.c.waiting_since < waited_before,
                or_(m.c.escalated_for.is_(None), and_(m.c.escalated_for != m.c.waiting_since)),
            )
        )
    ).all()


async def of_thread(conn: AsyncConnection, thread_id: str) -> Sequence[Row]:
    return (await conn.execute(select(m).where(m.c.id == thread_id))).all()
