"""Projects a committed thread onto `mail_threads`, in the commit's transaction. The subject is taken
from the stored (sealed) payload: the read model never holds it in clear text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.domain import thread_events as t
from counseling.readmodels.thread_tables import mail_responses, mail_threads
from teilhabe_events.contexts import mail_counseling as pub
from teilhabe_kit.streams import Committed


async def project_thread(conn: AsyncConnection, committed: Committed[Any, Any]) -> None:
    state = committed.state
    if state is None:
        return
    at = committed.occurred_at
    values: dict[str, Any] = {}
    for step in committed.steps:
        event = step.event
        if isinstance(event, t.RequestWritten):
            values["sealed_subject"] = step.envelope.payload["subject"]
        elif isinstance(event, pub.MailRequestReceived):
            values |= {"centre_id": event.centre_id, "client_id": event.client_id, "waiting_since": at}
        elif isinstance(event, pub.MailFollowUpReceived):
            values["waiting_since"] = func.coalesce(mail_threads.c.waiting_since, at)
        elif isinstance(event, pub.MailReplySent):
            await _record_response(conn, committed.stream_id, event.counselor_id, at)
            values["waiting_since"] = None
        elif isinstance(event, pub.MailThreadOverdue):
            values["escalated_for"] = event.waiting_since
    values |= {"assignee_id": state.assignee_id, "status": state.status, "draft_by": state.draft_by, "updated_at": at}
    if "centre_id" in values:
        await conn.execute(insert(mail_threads).values(id=committed.stream_id, created_at=at, **values))
    elif committed.steps:
        await conn.execute(update(mail_threads).where(mail_threads.c.id == committed.stream_id).values(**values))


async def _record_response(conn: AsyncConnection, thread_id: str, counselor_id: str, at: Any) -> None:
    """The answered wait (from the thread's `waiting_since`, before the reply clears it)."""
    waiting = select(
        mail_threads.c.id,
        literal(at).label("answered_at"),
        mail_threads.c.centre_id,
        literal(counselor_id).label("counselor_id"),
        mail_threads.c.waiting_since,
    ).where(mail_threads.c.id == thread_id, mail_threads.c.waiting_since.is_not(None))
    columns = ["thread_id", "answered_at", "centre_id", "counselor_id", "asked_at"]
    await conn.execute(insert(mail_responses).from_select(columns, waiting).on_conflict_do_nothing())
