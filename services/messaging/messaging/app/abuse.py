"""Abuse reports: a participant reports a conversation; an admin may then read it, with a reason
that is written to the audit log first. Admins cannot read conversations otherwise."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import messages
from messaging.app.conversations import access
from messaging.readmodels.tables import abuse_reports, audit_log, participants
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound


async def report(conn: AsyncConnection, principal: Principal, conversation_id: str, reason: str) -> str:
    await access(conn, principal, conversation_id)
    report_id = uuid.uuid4().hex
    await conn.execute(
        abuse_reports.insert().values(
            id=report_id,
            conversation_id=conversation_id,
            reported_by=principal.account_id,
            reason=await sealing.seal(conn, principal.account_id, reason),
        )
    )
    return report_id


async def open_reports(conn: AsyncConnection) -> list[dict]:
    rows = (await conn.execute(select(abuse_reports).order_by(abuse_reports.c.reported_at.desc()).limit(200))).all()
    return [
        {
            "id": r.id,
            "conversation_id": r.conversation_id,
            "reported_by": r.reported_by,
            "reported_at": r.reported_at.isoformat(),
            "reason": await sealing.unseal(conn, r.reported_by, r.reason),
        }
        for r in rows
    ]


async def review(conn: AsyncConnection, admin: Principal, report_id: str, reason: str) -> dict:
    """Audit first, then the reported conversation's messages (read as the admin, not a participant)."""
    row = (await conn.execute(select(abuse_reports).where(abuse_reports.c.id == report_id))).first()
    if row is None:
        raise NotFound("Diese Meldung gibt es nicht.")
    await conn.execute(
        audit_log.insert().values(
            actor_id=admin.account_id,
            action="abuse_review",
            conversation_id=row.conversation_id,
            report_id=report_id,
            reason=await sealing.seal(conn, admin.account_id, reason),
        )
    )
    people = (
        (
            await conn.execute(
                select(participants.c.person_id)
                .where(participants.c.conversation_id == row.conversation_id)
                .order_by(participants.c.person_id)
            )
        )
        .scalars()
        .all()
    )
    return {
        "report_id": report_id,
        "conversation_id": row.conversation_id,
        "participant_ids": list(people),
        "messages": await messages.rows(conn, row.conversation_id, 0, None),
    }
