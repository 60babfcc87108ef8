"""Append public events to one of messaging's streams and record them in the outbox (same transaction)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_events import DomainEvent, registry
from teilhabe_kit import eventstore, outbox


async def publish(
    conn: AsyncConnection,
    stream_id: str,
    events: Sequence[DomainEvent],
    *,
    actor_id: str | None = None,
    causation_id: uuid.UUID | None = None,
    correlation_id: uuid.UUID | None = None,
) -> None:
    """Append `events` to their stream after its current version and queue them for Kafka."""
    if not events:
        return
    model = type(events[0])
    version = await eventstore.stream_version(conn, model.stream_type, stream_id)
    envelopes = [
        registry.envelope(
            event,
            stream_id=stream_id,
            stream_version=version + i,
            actor_id=actor_id,
            causation_id=causation_id,
            correlation_id=correlation_id,
        )
        for i, event in enumerate(events, start=1)
    ]
    await eventstore.append(conn, model.stream_type, stream_id, version, envelopes)
    await outbox.record(conn, model.topic(), envelopes)
