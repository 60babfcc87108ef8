"""Load a stream, decide, append and record public events in the caller's transaction.

Every event goes to the event store; those with a public schema (registered in
`teilhabe_events`) are validated by it and recorded in the outbox for their topic. The others are
internal (sealed details) and never leave the service.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.domain.events import Event
from teilhabe_events import EventEnvelope, UnknownEventType, new_envelope, registry, topic_for
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.eventstore import ConcurrencyConflict

SERVICE = "contracts"
T = TypeVar("T")


def _public_model(event_type: str):
    try:
        return registry.model(event_type)
    except UnknownEventType:
        return None


async def load(
    conn: AsyncConnection, stream_type: str, stream_id: str, evolve: Callable[[Any, Event], Any]
) -> tuple[Any, int]:
    """The folded state of a stream (None when empty) and its version."""
    state, version = None, 0
    for envelope in await eventstore.read_stream(conn, stream_type, stream_id):
        state = evolve(state, Event(envelope.event_type, envelope.payload))
        version = envelope.stream_version
    return state, version


async def commit(
    conn: AsyncConnection,
    stream_type: str,
    stream_id: str,
    version: int,
    events: Sequence[Event],
    *,
    actor_id: str | None,
    causation_id: uuid.UUID | None = None,
    correlation_id: uuid.UUID | None = None,
) -> list[EventEnvelope]:
    """Append `events` after `version` and record the public ones for publication."""
    correlation_id = correlation_id or uuid.uuid4()
    envelopes: list[EventEnvelope] = []
    public: list[EventEnvelope] = []
    for number, event in enumerate(events, start=version + 1):
        model = _public_model(event.type)
        if model is not None and model.stream_type != stream_type:
            raise ValueError(f"{event.type} belongs to {model.stream_type}, not {stream_type}")
        payload = model.model_validate(event.data).model_dump(mode="json") if model else event.data
        envelope = new_envelope(
            event_type=event.type,
            schema_version=model.schema_version if model else 1,
            stream_type=stream_type,
            stream_id=stream_id,
            stream_version=number,
            payload=payload,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor_id=actor_id,
        )
        envelopes.append(envelope)
        if model is not None:
            public.append(envelope)
    await eventstore.append(conn, stream_type, stream_id, version, envelopes)
    await outbox.record(conn, topic_for(SERVICE, stream_type), public)
    return envelopes


async def retrying(engine: AsyncEngine, work: Callable[[AsyncConnection], Awaitable[T]], attempts: int = 3) -> T:
    """Run `work` in a transaction; if a concurrent writer got there first, decide again on the new state.

    Two people acting at once (seeker and assistant signing at the meeting) both succeed; a command
    the new state no longer allows is refused by the decision as usual.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with engine.begin() as conn:
                return await work(conn)
        except ConcurrencyConflict:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
