"""`python -m counseling.replay --mail`: mail counseling's read model folded again from the event
store, event by event with the same projection the use cases run (the subject stays sealed; threads
of erased clients lose it as the erasure did)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app.thread_streams import THREAD
from counseling.readmodels.thread_projection import project_thread
from counseling.readmodels.thread_tables import mail_responses, mail_threads
from teilhabe_kit import sealing
from teilhabe_kit.eventstore import read_all
from teilhabe_kit.streams import Committed, Step


async def rebuild_mail_threads(conn: AsyncConnection) -> dict[str, int]:
    await conn.execute(mail_threads.delete())
    await conn.execute(mail_responses.delete())
    states: dict[str, Any] = {}
    events = 0
    async for _, envelope in read_all(conn):
        if envelope.stream_type != THREAD.stream_type:
            continue
        event = THREAD.decode(envelope)
        state = THREAD.evolve(states.get(envelope.stream_id), event, envelope.stream_id)
        states[envelope.stream_id] = state
        step = Step(envelope, event, state)
        committed = Committed(envelope.stream_id, state, envelope.stream_version, envelope.occurred_at, [step])
        await project_thread(conn, committed)
        events += 1
    for thread_id in states:
        if await sealing.is_erased(conn, thread_id):
            await conn.execute(
                update(mail_threads).where(mail_threads.c.id == thread_id).values(sealed_subject=None, draft_by=None)
            )
    return {"threads": len(states), "events": events}
