"""Counseling's streams on the kit's `load`/`commit`: personal fields sealed with the person's key
before they are stored, the read models projected in the commit's transaction, public events
recorded in the outbox."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.domain import client, counselor, groups, records, settings
from counseling.domain import events as e
from counseling.readmodels.projection import project
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_kit import sealing, streams
from teilhabe_kit.streams import Committed, Loaded

S = TypeVar("S")
Event = e.Event | DomainEvent


class SealedStream(streams.Stream[S, Event], Generic[S]):
    """A stream whose internal events seal their `sealed` fields with `event.key(stream_id)`."""

    def __init__(self, stream_type: str, evolve: Callable[[S | None, Any, str], S]) -> None:
        super().__init__(stream_type, evolve, internal=e.EVENTS.values())

    def decode(self, envelope: EventEnvelope) -> Event:
        """Sealed fields stay closed (None): decisions never need them."""
        model = self.internal.get(envelope.event_type)
        if model is None:
            return super().decode(envelope)
        sealed: tuple[str, ...] = getattr(model, "sealed", ())
        return model.model_validate(envelope.payload | dict.fromkeys(sealed))

    async def payload(self, conn: AsyncConnection, stream_id: str, event: Event) -> dict[str, Any]:
        payload = event.model_dump(mode="json")
        if isinstance(event, e.Event):
            key = event.key(stream_id)
            for name in event.sealed:
                value = payload[name]
                if name in event.sealed_json and value is not None:
                    value = json.dumps(value)
                payload[name] = await sealing.seal(conn, key, value)
        return payload


async def opened(conn: AsyncConnection, stream: SealedStream, envelope: EventEnvelope) -> Event:
    """The stored event with its sealed fields opened (None once the person is erased)."""
    model = e.EVENTS.get(envelope.event_type)
    if model is None:
        return stream.decode(envelope)
    payload = dict(envelope.payload)
    key = model.model_validate(payload | dict.fromkeys(model.sealed)).key(envelope.stream_id)
    for name in model.sealed:
        value = await sealing.unseal(conn, key, payload.get(name))
        payload[name] = json.loads(value) if name in model.sealed_json and value is not None else value
    return model.model_validate(payload)


CLIENT: SealedStream[client.Client] = SealedStream("client", client.evolve)
CASE_RECORD: SealedStream[records.CaseRecord] = SealedStream("case_record", records.evolve)
GROUP: SealedStream[groups.Group] = SealedStream("client_group", groups.evolve)
SETTINGS: SealedStream[settings.CentreSettings] = SealedStream("centre_settings", settings.evolve)
COUNSELOR: SealedStream[counselor.Counselor] = SealedStream("counselor", counselor.evolve)
STREAMS = {s.stream_type: s for s in (CLIENT, CASE_RECORD, GROUP, SETTINGS, COUNSELOR)}


async def load(conn: AsyncConnection, stream: SealedStream[Any], stream_id: str) -> Loaded[Any]:
    return await streams.load(conn, stream, stream_id)


async def _project(conn: AsyncConnection, committed: Committed[Any, Event]) -> None:
    for step in committed.steps:
        await project(conn, committed.stream_id, step.event, committed.occurred_at)


async def commit(
    conn: AsyncConnection,
    stream: SealedStream[S],
    stream_id: str,
    loaded: Loaded[S],
    events: Sequence[Event],
    *,
    actor_id: str | None,
    causation_id: uuid.UUID | None = None,
) -> Committed[S, Event]:
    """Append `events` after the loaded version (409 on a concurrent writer), publish, project."""
    return await streams.commit(
        conn, stream, stream_id, loaded, events, actor_id=actor_id, causation_id=causation_id, project=_project
    )


async def settings_of(conn: AsyncConnection, centre_id: str) -> settings.CentreSettings:
    """The centre's settings (the defaults until an admin changed them)."""
    loaded = await load(conn, SETTINGS, centre_id)
    return loaded.state or settings.CentreSettings(centre_id=centre_id)
