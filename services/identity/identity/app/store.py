"""Unit of work of identity: load a stream, append decided events (personal fields sealed),
update the projections and record the public events in the outbox — all in one transaction."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app.public import public_events
from identity.domain import account as domain
from identity.domain import events as e
from identity.readmodels import projection
from identity.readmodels.tables import public_versions
from teilhabe_events import DomainEvent, EventEnvelope, new_envelope, registry
from teilhabe_kit import eventstore, outbox, sealing

ACCOUNT = "account"
ORGANISATION = "organisation"


async def history(conn: AsyncConnection, stream_type: str, stream_id: str) -> list[e.Event]:
    """The stream's events with sealed fields left closed (None): decisions never need them."""
    envelopes = await eventstore.read_stream(conn, stream_type, stream_id)
    events = []
    for env in envelopes:
        model = e.EVENTS[env.event_type]
        events.append(model.model_validate(env.payload | dict.fromkeys(model.sealed)))
    return events


async def load(conn: AsyncConnection, account_id: str) -> domain.Account:
    return domain.replay(account_id, await history(conn, ACCOUNT, account_id))


async def _sealed_payload(conn: AsyncConnection, person_id: str, event: e.Event) -> dict:
    payload = event.model_dump(mode="json")
    for name in event.sealed:
        value = payload[name]
        if name in event.sealed_json and value is not None:
            value = json.dumps(value)
        payload[name] = await sealing.seal(conn, person_id, value)
    return payload


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
    if not events:
        return state
    envelopes: list[EventEnvelope] = []
    for offset, event in enumerate(events, start=1):
        envelopes.append(
            new_envelope(
                event_type=event.kind,
                schema_version=1,
                stream_type=stream_type,
                stream_id=stream_id,
                stream_version=expected_version + offset,
                payload=await _sealed_payload(conn, stream_id, event),
                correlation_id=correlation_id,
                actor_id=actor_id,
            )
        )
        correlation_id = correlation_id or envelopes[0].correlation_id
    await eventstore.append(conn, stream_type, stream_id, expected_version, envelopes)
    published: dict[str, list[tuple[EventEnvelope, DomainEvent]]] = defaultdict(list)
    for envelope, event in zip(envelopes, events):
        await projection.project(conn, envelope)
        state = domain.evolve(state, event)
        for public in public_events(state, event):
            published[public.topic()].append((envelope, public))
    for topic, items in published.items():
        first = await _next_public_version(conn, stream_type, stream_id, len(items))
        await outbox.record(
            conn,
            topic,
            [
                registry.envelope(
                    public,
                    stream_id=stream_id,
                    stream_version=first + i,
                    correlation_id=source.correlation_id,
                    causation_id=source.event_id,
                    actor_id=actor_id,
                )
                for i, (source, public) in enumerate(items)
            ],
        )
    return state


async def decide_and_commit(conn: AsyncConnection, account_id: str, decide, *, actor_id: str | None) -> domain.Account:
    """Load the account, run `decide(state) -> events`, commit them; the new state."""
    state = await load(conn, account_id)
    events = decide(state)
    return await commit(conn, ACCOUNT, account_id, state.version, events, actor_id=actor_id, state=state)
