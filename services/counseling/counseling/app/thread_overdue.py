"""Overdue mail requests (seed: "Warum ist der Status einer Mailanfrage überfällig?"): a request
unanswered longer than the centre's period is escalated once per wait with `MailThreadOverdue`
(the admins' fact; their overdue inbox lists it). Run every minute by the service and safe to run
on several instances: one replica at a time runs a round (`alone`), and a writer of the same thread
in between (a counselor answering) loses or wins the version check."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from counseling.app.streams import settings_of
from counseling.app.thread_streams import THREAD, commit, load
from counseling.readmodels import thread_queries
from counseling.readmodels.thread_tables import mail_threads
from teilhabe_events.contexts import mail_counseling as pub
from teilhabe_kit.eventstore import ConcurrencyConflict
from teilhabe_kit.leadership import alone

log = logging.getLogger(__name__)
SHORTEST_PERIOD = timedelta(days=1)
ROUND_LOCK = 0xC0DE_0D01
"""Advisory lock of the escalation round in progress (one replica at a time)."""


async def escalate_overdue(engine: AsyncEngine, now: datetime) -> list[str]:
    """Escalate every thread overdue at `now`; the ids escalated."""
    async with engine.connect() as conn:
        candidates = await thread_queries.due_for_escalation(conn, now - SHORTEST_PERIOD)
    escalated = []
    for candidate in candidates:
        with contextlib.suppress(ConcurrencyConflict):
            async with engine.begin() as conn:
                days = (await settings_of(conn, candidate.centre_id)).mail_overdue_days
                waiting_since = await conn.scalar(
                    select(mail_threads.c.waiting_since).where(mail_threads.c.id == candidate.id)
                )
                if waiting_since is None or waiting_since >= now - timedelta(days=days):
                    continue
                loaded = await load(conn, THREAD, candidate.id)
                event = pub.MailThreadOverdue(
                    centre_id=candidate.centre_id,
                    counselor_id=candidate.assignee_id,
                    waiting_since=waiting_since,
                    overdue_days=days,
                )
                await commit(conn, THREAD, candidate.id, loaded, [event], actor_id=None)
                escalated.append(candidate.id)
    return escalated


async def run_every_minute(engine: AsyncEngine) -> None:
    while True:
        try:
            await alone(engine, ROUND_LOCK, lambda: escalate_overdue(engine, datetime.now(UTC)))
        except Exception:  # the next round retries; one failure must not stop the escalation for good
            log.exception("overdue escalation failed")
        await asyncio.sleep(60)
