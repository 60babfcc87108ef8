"""The event store: one PostgreSQL table with a unique (stream_type, stream_id, stream_version).

Appends state the version they expect the stream to have; a concurrent writer that got there
first makes the append fail with `ConcurrencyConflict` (HTTP 409).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

import orjson
from sqlalchemy import Row, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_events import EventEnvelope
from teilhabe_kit.db import asyncpg_connection
from teilhabe_kit.tables import event_store


class ConcurrencyConflict(Exception):
    """The stream changed since it was read: reload and decide again."""

    def __init__(self, stream_type: str, stream_id: str, expected: int, actual: int | None) -> None:
        super().__init__(
            f"{stream_type} {stream_id}: expected version {expected}, found {actual if actual is not None else 'a newer one'}"
        )
        self.stream_type = stream_type
        self.stream_id = stream_id
        self.expected = expected


def _row(envelope: EventEnvelope) -> dict[str, Any]:
    return {
        "event_id": envelope.event_id,
        "stream_type": envelope.stream_type,
        "stream_id": envelope.stream_id,
        "stream_version": envelope.stream_version,
        "event_type": envelope.event_type,
        "schema_version": envelope.schema_version,
        "occurred_at": envelope.occurred_at,
        "correlation_id": envelope.correlation_id,
        "causation_id": envelope.causation_id,
        "actor_id": envelope.actor_id,
        "payload": envelope.payload,
    }


def _envelope(row: Row[Any]) -> EventEnvelope:
    return EventEnvelope(
        event_id=row.event_id,
        event_type=row.event_type,
        schema_version=row.schema_version,
        occurred_at=row.occurred_at,
        stream_type=row.stream_type,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        correlation_id=row.correlation_id,
        causation_id=row.causation_id,
        actor_id=row.actor_id,
        payload=row.payload,
    )


async def stream_version(conn: AsyncConnection, stream_type: str, stream_id: str) -> int:
    """The current version of a stream (0 when it has no events)."""
    version = await conn.execute(
        select(func.coalesce(func.max(event_store.c.stream_version), 0)).where(
            event_store.c.stream_type == stream_type, event_store.c.stream_id == stream_id
        )
    )
    return int(version.scalar_one())


async def append(
    conn: AsyncConnection,
    stream_type: str,
    stream_id: str,
    expected_version: int,
    events: Sequence[EventEnvelope],
) -> None:
    """Append events numbered expected_version + 1, + 2, ... inside the caller's transaction."""
    for offset, envelope in enumerate(events, start=1):
        if (
            envelope.stream_type != stream_type
            or envelope.stream_id != stream_id
            or envelope.stream_version != expected_version + offset
        ):
            raise ValueError(f"event {envelope.event_type} does not continue {stream_type} {stream_id}")
    if expected_version > 0 or not events:
        # a new stream needs no look-up: the unique (stream, version) decides alone
        actual = await stream_version(conn, stream_type, stream_id)
        if actual != expected_version:
            raise ConcurrencyConflict(stream_type, stream_id, expected_version, actual)
    if not events:
        return
    try:
        await conn.execute(event_store.insert(), [_row(e) for e in events])
    except IntegrityError as error:
        # the transaction is aborted: the caller's unit of work rolls back and may retry
        raise ConcurrencyConflict(stream_type, stream_id, expected_version, None) from error


async def read_stream(
    conn: AsyncConnection, stream_type: str, stream_id: str, *, after_version: int = 0
) -> list[EventEnvelope]:
    """The events of one stream in version order."""
    rows = await conn.execute(
        select(event_store)
        .where(
            event_store.c.stream_type == stream_type,
            event_store.c.stream_id == stream_id,
            event_store.c.stream_version > after_version,
        )
        .order_by(event_store.c.stream_version)
    )
    return [_envelope(row) for row in rows]


async def read_all(
    conn: AsyncConnection, *, after_position: int = 0, batch_size: int = 1000
) -> AsyncIterator[tuple[int, EventEnvelope]]:
    """Every stored event in global (position) order, as (position, envelope).

    Positions are assigned at insert time, not commit time: use this for audits and offline
    rebuilds, not as a live feed (the outbox and Kafka are the live feed).
    """
    position = after_position
    while True:
        rows = (
            await conn.execute(
                select(event_store)
                .where(event_store.c.position > position)
                .order_by(event_store.c.position)
                .limit(batch_size)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row.position, _envelope(row)
        position = rows[-1].position


async def read_all_stored(
    conn: AsyncConnection, *, stream_type: str | None = None, batch_size: int = 5000
) -> AsyncIterator[EventEnvelope]:
    """Every stored event (of `stream_type`, or all) in position order, for offline rebuilds.

    Read in batches of `batch_size` rows straight through asyncpg (on `conn`), the envelopes built
    without validating them again (they were validated when they were stored): a rebuild's read
    costs little more than the raw read of the rows."""
    raw = await asyncpg_connection(conn)
    where = "position > $1" + (" AND stream_type = $3" if stream_type is not None else "")
    query = f"SELECT position, {', '.join(_COLUMNS)} FROM event_store WHERE {where} ORDER BY position LIMIT $2"
    construct = EventEnvelope.model_construct
    position = 0
    while True:
        rows = await raw.fetch(query, position, batch_size, *([stream_type] if stream_type is not None else []))
        for r in rows:
            payload = r[11]
            yield construct(
                event_id=r[1],
                event_type=r[2],
                schema_version=r[3],
                occurred_at=r[4],
                stream_type=r[5],
                stream_id=r[6],
                stream_version=r[7],
                correlation_id=r[8],
                causation_id=r[9],
                actor_id=r[10],
                payload=orjson.loads(payload) if isinstance(payload, str | bytes) else payload,
            )
        if len(rows) < batch_size:
            return
        position = rows[-1][0]


_COLUMNS = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "stream_type",
    "stream_id",
    "stream_version",
    "correlation_id",
    "causation_id",
    "actor_id",
    "payload",
)
