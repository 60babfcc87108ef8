"""Matching's own events about an order: envelopes in its stream, recorded in the outbox."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from matching.readmodels.tables import orders
from teilhabe_events import DomainEvent, EventEnvelope, registry
from teilhabe_kit import outbox


def envelopes(
    order_id: str, first_version: int, events: Sequence[DomainEvent], cause: EventEnvelope
) -> list[EventEnvelope]:
    return [
        registry.envelope(
            event,
            stream_id=order_id,
            stream_version=first_version + i,
            correlation_id=cause.correlation_id,
            causation_id=cause.event_id,
        )
        for i, event in enumerate(events)
    ]


async def emit(
    conn: AsyncConnection, topic: str, order_id: str, events: Sequence[DomainEvent], cause: EventEnvelope
) -> None:
    """Append `events` to the order's stream (versions taken under the order row's lock) and record them."""
    if not events:
        return
    last = await conn.scalar(
        update(orders)
        .where(orders.c.order_id == order_id)
        .values(emitted=orders.c.emitted + len(events))
        .returning(orders.c.emitted)
    )
    await outbox.record(conn, topic, envelopes(order_id, last - len(events) + 1, events, cause))
