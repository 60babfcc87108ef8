"""Recording matching's own events in its outbox, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from teilhabe_events import DomainEvent, EventEnvelope, registry
from teilhabe_kit import outbox

from matching.readmodels.tables import emitted_streams


async def emit(
    conn: AsyncConnection, topic: str, order_id: str, events: Sequence[DomainEvent], cause: EventEnvelope
) -> None:
    """Append `events` to matching's stream of the order (versions reserved under a row lock)."""
    if not events:
        return
    n = len(events)
    last = await conn.scalar(
        insert(emitted_streams)
        .values(stream_id=order_id, version=n)
        .on_conflict_do_update(index_elements=["stream_id"], set_={"version": emitted_streams.c.version + n})
        .returning(emitted_streams.c.version)
    )
    envelopes = [
        registry.envelope(
            event, stream_id=order_id, stream_version=last - n + 1 + i,
            correlation_id=cause.correlation_id, causation_id=cause.event_id,
        )
        for i, event in enumerate(events)
    ]
    await outbox.record(conn, topic, envelopes)
