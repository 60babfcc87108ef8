"""Transactional outbox: events are recorded for publication in the append's transaction.

The relay publishes pending rows in id order with an idempotent producer (acks=all), waits for
every acknowledgement, then marks them published. Rows are selected by "not yet published", never
by a high-water mark, so a row whose transaction committed after a later-numbered one is picked up
by the next round. A crash between send and mark re-sends (a duplicate), it never loses a row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Sequence

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from teilhabe_events import EventEnvelope, encode
from teilhabe_kit.tables import outbox
from teilhabe_kit.telemetry import current_trace_headers

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "teilhabe_outbox"
RELAY_LOCK_ID = 0x7E11_4ABE
"""Advisory lock held by the relay round in progress: one publisher per database at a time."""


async def record(conn: AsyncConnection, topic: str, events: Sequence[EventEnvelope]) -> None:
    """Record events for publication on `topic`, keyed by stream id, in the caller's transaction."""
    if not events:
        return
    headers = current_trace_headers()
    await conn.execute(
        outbox.insert(),
        [
            {
                "event_id": e.event_id,
                "topic": topic,
                "key": e.stream_id,
                "value": encode(e),
                "headers": headers | {"event_type": e.event_type},
            }
            for e in events
        ],
    )


async def pending_count(conn: AsyncConnection) -> int:
    """How many recorded events wait for publication (the outbox backlog)."""
    backlog = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
    return (await conn.execute(backlog)).scalar_one()


def idempotent_producer(bootstrap_servers: str, *, linger_ms: int = 5) -> AIOKafkaProducer:
    """A producer that neither loses nor duplicates on retry: acks from all replicas, idempotence.

    `linger_ms` trades latency for batching (0: a lone event leaves at once).
    """
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        acks="all",
        enable_idempotence=True,
        linger_ms=linger_ms,
        request_timeout_ms=30000,
    )


class OutboxRelay:
    """Publishes the outbox of one service database to Kafka."""

    def __init__(
        self,
        engine: AsyncEngine,
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self._engine = engine
        self._producer = producer
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._max_backoff = max_backoff_seconds

    async def publish_pending(self) -> int:
        """One round: publish up to a batch of pending rows; returns how many were published."""
        async with self._engine.begin() as conn:
            if not await conn.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK_ID))):
                return 0
            rows = (
                await conn.execute(
                    select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.value, outbox.c.headers)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self._batch_size)
                )
            ).all()
            if not rows:
                return 0
            deliveries = [
                await self._producer.send(
                    row.topic,
                    value=row.value,
                    key=row.key.encode(),
                    headers=[(k, str(v).encode()) for k, v in row.headers.items()],
                )
                for row in rows
            ]
            await asyncio.gather(*deliveries)
            await conn.execute(
                update(outbox).where(outbox.c.id.in_([row.id for row in rows])).values(published_at=func.now())
            )
        return len(rows)

    @contextlib.asynccontextmanager
    async def _wake_on_notify(self, wake: asyncio.Event) -> AsyncIterator[None]:
        """Listen for outbox inserts; without a listener the relay still polls."""
        url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        try:
            listener = await asyncpg.connect(url)
            await listener.add_listener(NOTIFY_CHANNEL, lambda *_: wake.set())
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("outbox relay cannot listen (%s); polling only", error)
            yield
            return
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                await listener.close()

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until `stop` is set; errors are logged and retried with growing backoff."""
        wake = asyncio.Event()
        backoff = self._poll_seconds
        while not stop.is_set():
            async with self._wake_on_notify(wake):
                while not stop.is_set():
                    wake.clear()
                    try:
                        published = await self.publish_pending()
                        backoff = self._poll_seconds
                    except Exception:
                        log.exception("outbox relay round failed; retrying in %.2fs", backoff)
                        backoff = min(backoff * 2, self._max_backoff)
                        break  # reconnect the listener too
                    if published == 0:
                        await _first(stop.wait(), wake.wait(), timeout=backoff)
            if not stop.is_set():
                await _first(stop.wait(), timeout=backoff)


async def _first(*waits: Awaitable[object], timeout: float) -> None:
    """Wait until the first of `waits` finishes or `timeout` passes; cancel the rest."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
