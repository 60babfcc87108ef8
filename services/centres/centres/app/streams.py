"""The write path of centres: load a stream's events, append decided ones with the outbox.

One transaction (the caller's): event store append with the expected version (a concurrent
writer → 409), outbox record of the public events and the same-transaction views. Kept in this
one module so that it can give way to the kit's load/commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from centres.domain import events as centre_events
from centres.domain.events import Event
from centres.domain.state import Centre, evolve
from centres.readmodels.views import project
from teilhabe_events import EventEnvelope, new_envelope, registry
from teilhabe_events.contexts.centres import CentreInterestRecorded
from teilhabe_events.registry import DomainEvent
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.problems import Conflict, NotFound

STREAM = "centre"
TOPIC = CentreInterestRecorded.topic()


@dataclass(frozen=True)
class Tx:
    """A transaction of the centres service: its connection and the topic its public events go to."""

    conn: AsyncConnection
    topic: str = TOPIC


async def load(tx: Tx, centre_id: str) -> tuple[Centre | None, int]:
    """The folded centre (None when there is none) and its stream version."""
    state, version = None, 0
    for envelope in await eventstore.read_stream(tx.conn, STREAM, centre_id):
        state = evolve(state, centre_events.load(envelope), centre_id=centre_id)
        version = envelope.stream_version
    return state, version


async def load_existing(tx: Tx, centre_id: str) -> tuple[Centre, int]:
    state, version = await load(tx, centre_id)
    if state is None:
        raise NotFound("Diese Beratungsstelle gibt es nicht.")
    return state, version


def expect_version(version: int, if_match: int | None) -> None:
    """409 when the caller's `If-Match` version is not the current one (check after authorization)."""
    if if_match is not None and if_match != version:
        raise Conflict("Die Beratungsstelle wurde inzwischen geändert. Bitte laden Sie die Seite neu.")


def envelopes_of(
    stream_type: str,
    stream_id: str,
    version: int,
    events: Sequence[BaseModel],
    *,
    actor_id: str | None,
    at: datetime,
    correlation_id: uuid.UUID | None = None,
) -> list[EventEnvelope]:
    correlation_id = correlation_id or uuid.uuid4()
    return [
        new_envelope(
            event_type=getattr(event, "event_type"),  # noqa: B009 (a ClassVar of every event model)
            schema_version=getattr(event, "schema_version", 1),
            stream_type=stream_type,
            stream_id=stream_id,
            stream_version=number,
            payload=event.model_dump(mode="json"),
            actor_id=actor_id,
            correlation_id=correlation_id,
            occurred_at=at,
        )
        for number, event in enumerate(events, start=version + 1)
    ]


async def commit(
    tx: Tx, centre_id: str, state: Centre | None, version: int, events: Sequence[Event], *, actor_id: str | None
) -> tuple[Centre | None, int]:
    """Append `events` after `version`, record the public ones, project; returns the new state and version."""
    if not events:
        return state, version
    now = datetime.now(UTC)  # one moment per commit: a replay projects exactly what the commit did
    envelopes = envelopes_of(STREAM, centre_id, version, events, actor_id=actor_id, at=now)
    await eventstore.append(tx.conn, STREAM, centre_id, version, envelopes)
    public = [e for e, ev in zip(envelopes, events) if isinstance(ev, DomainEvent)]
    await outbox.record(tx.conn, tx.topic, public)
    for event in events:
        assert not isinstance(event, DomainEvent) or registry.model(event.event_type) is type(event)
        state = evolve(state, event, centre_id=centre_id)
    assert state is not None
    version += len(events)
    await project(tx.conn, state, version, now)
    return state, version
