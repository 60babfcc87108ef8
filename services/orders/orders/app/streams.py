"""Load an order stream, append decided events, publish the public ones, update the views.

One transaction (the caller's): event store append with the expected version, outbox record of
the public events, and the views. A concurrent writer makes the append fail → HTTP 409.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.domain import events as order_events
from orders.domain.events import Event
from orders.domain.state import Order, evolve
from orders.readmodels.views import project
from teilhabe_events import EventEnvelope, new_envelope, registry
from teilhabe_events.registry import DomainEvent
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.problems import Conflict, NotFound

STREAM = "order"
TOPIC = registry.model("OrderDrafted").topic()


@dataclass(frozen=True)
class Tx:
    """A transaction of the orders service: its connection and the topic its public events go to."""

    conn: AsyncConnection
    topic: str = TOPIC


async def load(tx: Tx, order_id: str) -> tuple[Order | None, int]:
    """The folded order (None when there is none) and its stream version."""
    state, version = None, 0
    for envelope in await eventstore.read_stream(tx.conn, STREAM, order_id):
        state = evolve(state, order_events.load(envelope), order_id=order_id)
        version = envelope.stream_version
    return state, version


async def load_existing(tx: Tx, order_id: str) -> tuple[Order, int]:
    """The order or 404."""
    state, version = await load(tx, order_id)
    if state is None:
        raise NotFound("Diesen Auftrag gibt es nicht.")
    return state, version


def expect_version(version: int, if_match: int | None) -> None:
    """409 when the caller's `If-Match` version is not the current one (check after authorization)."""
    if if_match is not None and if_match != version:
        raise Conflict("Der Auftrag wurde inzwischen geändert. Bitte laden Sie ihn neu.")


def _envelope(event: Event, order_id: str, number: int, **meta) -> EventEnvelope:
    if isinstance(event, DomainEvent) and registry.model(event.event_type) is not type(event):
        raise ValueError(f"{type(event).__name__} is not the registered schema of {event.event_type}")
    return new_envelope(
        event_type=event.event_type,
        schema_version=getattr(event, "schema_version", 1),
        stream_type=STREAM,
        stream_id=order_id,
        stream_version=number,
        payload=event.model_dump(mode="json"),
        **meta,
    )


async def commit(
    tx: Tx,
    order_id: str,
    state: Order | None,
    version: int,
    events: Sequence[Event],
    *,
    actor_id: str | None,
    causation_id: uuid.UUID | None = None,
    correlation_id: uuid.UUID | None = None,
) -> tuple[Order | None, int]:
    """Append `events` after `version`, record the public ones, project; returns the new state and version."""
    if not events:
        return state, version
    correlation_id = correlation_id or uuid.uuid4()
    now = datetime.now(UTC)  # one moment per commit: a replay projects exactly what the commit did
    envelopes = [
        _envelope(
            event,
            order_id,
            number,
            actor_id=actor_id,
            causation_id=causation_id,
            correlation_id=correlation_id,
            occurred_at=now,
        )
        for number, event in enumerate(events, start=version + 1)
    ]
    await eventstore.append(tx.conn, STREAM, order_id, version, envelopes)
    await outbox.record(tx.conn, tx.topic, [e for e, ev in zip(envelopes, events) if isinstance(ev, DomainEvent)])
    for event in events:
        state = evolve(state, event, order_id=order_id)
    assert state is not None
    version += len(events)
    touched = [event.offer_id for event in events if hasattr(event, "offer_id")]
    await project(tx.conn, state, version, now, touched)
    return state, version
