"""Identity's streams on the kit's `load`/`commit`, with what is identity's own: personal fields
sealed with the person's key, projections updated in the commit's transaction, and public events
derived from the internal ones (numbered per stream and topic in `public_versions`)."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app.public import public_events
from identity.domain import account as domain
from identity.domain import events as e
from identity.readmodels import projection
from identity.readmodels.tables import public_versions
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_kit import eventstore, sealing, streams
from teilhabe_kit.streams import Committed, Loaded, Step

ACCOUNT = "account"
ORGANISATION = "organisation"


def _evolve(state: domain.Account | None, event: e.Event, stream_id: str) -> domain.Account:
    return domain.evolve(state or domain.Account(id=stream_id), event)


async def _next_public_version(conn: AsyncConnection, stream_type: str, stream_id: str, count: int) -> int:
    """Reserve `count` public stream versions; returns the first."""
    version = await conn.scalar(
        insert(public_versions)
        .values(stream_type=stream_type, stream_id=stream_id, version=count)
        .on_conflict_do_update(
            index_elements=["stream_type", "stream_id"], set_={"version": public_versions.c.version + count}
        )
        .returning(public_versions.c.version)
    )
    return int(version) - count + 1


class IdentityStream(streams.Stream[domain.Account, e.Event]):
    """An identity stream: internal events only; the public ones are derived when committing."""

    def __init__(self, stream_type: str) -> None:
        super().__init__(stream_type, _evolve, internal=e.EVENTS.values())

    def decode(self, envelope: EventEnvelope) -> e.Event:
        """The event with its sealed fields left closed (None): decisions never need them."""
        model = self.internal[envelope.event_type]
        return model.model_validate(envelope.payload | dict.fromkeys(model.sealed))

    async def payload(self, conn: AsyncConnection, stream_id: str, event: e.Event) -> dict[str, Any]:
        payload = event.model_dump(mode="json")
        for name in event.sealed:
            value = payload[name]
            if name in event.sealed_json and value is not None:
                value = json.dumps(value)
            payload[name] = await sealing.seal(conn, stream_id, value)
        return payload

    async def publish(
        self, conn: AsyncConnection, stream_id: str, steps: Sequence[Step[domain.Account, e.Event]], topic: str | None
    ) -> None:
        published: dict[str, list[tuple[EventEnvelope, DomainEvent]]] = defaultdict(list)
        for step in steps:
            assert step.state is not None
            for public in public_events(step.state, step.event):
                published[topic or public.topic()].append((step.envelope, public))
        for name, items in published.items():
            first = await _next_public_version(conn, self.stream_type, stream_id, len(items))
            for offset, (source, public) in enumerate(items):
                await streams.publish(
                    conn,
                    name,
                    stream_id,
                    first + offset,
                    [public],
                    correlation_id=source.correlation_id,
                    causation_id=source.event_id,
                    actor_id=source.actor_id,
                )


STREAMS = {ACCOUNT: IdentityStream(ACCOUNT), ORGANISATION: IdentityStream(ORGANISATION)}


async def history(conn: AsyncConnection, stream_type: str, stream_id: str) -> list[e.Event]:
    """A stream's events with sealed fields left closed (None), for a fold of its own (organisations)."""
    stream = STREAMS[stream_type]
    return [stream.decode(envelope) for envelope in await eventstore.read_stream(conn, stream_type, stream_id)]


async def load(conn: AsyncConnection, account_id: str) -> domain.Account:
    state = (await streams.load(conn, STREAMS[ACCOUNT], account_id)).state
    return state or domain.Account(id=account_id)


async def _project(conn: AsyncConnection, committed: Committed[domain.Account, e.Event]) -> None:
    for envelope in committed.envelopes:
        await projection.project(conn, envelope)


async def commit(
    conn: AsyncConnection,
    stream_type: str,
    stream_id: str,
    expected_version: int,
    events: Sequence[e.Event],
    *,
    actor_id: str | None,
    state: domain.Account | None = None,
    correlation_id: uuid.UUID | None = None,
) -> domain.Account:
    """Append `events`, project them and publish their public counterparts; the new state."""
    state = state or domain.Account(id=stream_id, version=expected_version)
    committed = await streams.commit(
        conn,
        STREAMS[stream_type],
        stream_id,
        Loaded(state, expected_version),
        events,
        actor_id=actor_id,
        correlation_id=correlation_id,
        project=_project,
    )
    assert committed.state is not None
    return committed.state


async def decide_and_commit(
    conn: AsyncConnection,
    account_id: str,
    decide: Callable[[domain.Account], Sequence[e.Event]],
    *,
    actor_id: str | None,
) -> domain.Account:
    """Load the account, run `decide(state) -> events`, commit them; the new state."""
    state = await load(conn, account_id)
    events = decide(state)
    return await commit(conn, ACCOUNT, account_id, state.version, events, actor_id=actor_id, state=state)
