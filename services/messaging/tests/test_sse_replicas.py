"""Server-sent events with two messaging replicas: a notification created by one replica's consumer
reaches a stream the other holds (PostgreSQL NOTIFY), a reconnect to either replica replays exactly
what was missed, and creations for one person commit in the order of their event ids."""

from __future__ import annotations

import asyncio

import httpx
from messaging_support import SseClient, eventually, new_id, offer_submitted, send
from sqlalchemy import func, select, text

from messaging.app import notifications as notes
from messaging.domain.notices import Notice, Person
from messaging.main import build
from messaging.readmodels.tables import notifications
from teilhabe_kit.auth import Role
from teilhabe_kit.testing import bearer, serve


async def _count(m, person: str) -> int:
    async with m.engine.connect() as conn:
        return await conn.scalar(select(func.count()).where(notifications.c.recipient_id == person))


async def test_a_stream_on_the_other_replica_gets_it_and_a_reconnect_replays_exactly(
    messaging, kafka_bootstrap, token_issuer
):
    m = messaging
    quiet = m.settings.model_copy(update={"run_consumers": False, "run_relay": False, "run_delivery": False})
    seeker = new_id("seeker")
    headers = bearer(token_issuer, seeker, Role.SEEKER)
    order = new_id("order")
    async with serve(build(quiet, directory=m.directory)) as url, httpx.AsyncClient(base_url=url, timeout=20) as other:
        async with SseClient(other, headers) as sse:  # held by the replica without consumers
            await send(kafka_bootstrap, m.topics.orders, offer_submitted(order, seeker, assistant_id=new_id("asst")))
            first = await sse.next()
            last_seen = sse.last_id
        await send(
            kafka_bootstrap,
            m.topics.orders,
            *(offer_submitted(order, seeker, assistant_id=new_id("asst")) for _ in range(3)),
        )
        await eventually(lambda: _equal(_count(m, seeker), 4))
        for client in (m.client, other):  # either replica replays the same three
            async with SseClient(client, headers, last_event_id=last_seen) as again:
                missed = [await again.next() for _ in range(3)]
            assert [n["event_id"] for n in missed] == sorted(n["event_id"] for n in missed)
            assert all(n["event_id"] > first["event_id"] for n in missed)
            assert len({n["id"] for n in missed} | {first["id"]}) == 4


async def test_creations_for_one_person_commit_in_event_id_order(messaging):
    m = messaging
    person = new_id("seeker")
    notice = Notice(to=Person(person), kind="offer_submitted", title="Neues Angebot", body="", link="/", reference=None)
    async with m.engine.connect() as first:
        await first.begin()
        first_id = await notes.create(first, notice, person, source_event_id=new_id("src"))

        async def second() -> None:
            async with m.engine.begin() as conn:
                await notes.create(conn, notice, person, source_event_id=new_id("src"))

        later = asyncio.create_task(second())
        await eventually(lambda: _waiting_for_advisory_lock(m))  # the second waits for the first
        await first.commit()
    await later
    async with m.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(notifications.c.id, notifications.c.seq)
                .where(notifications.c.recipient_id == person)
                .order_by(notifications.c.seq)
            )
        ).all()
    assert len(rows) == 2 and rows[0].id == first_id


async def _waiting_for_advisory_lock(m) -> bool:
    async with m.engine.connect() as conn:
        return bool(
            await conn.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
            )
        )


async def _equal(measured, expected) -> bool:
    return await measured == expected
