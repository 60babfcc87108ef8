"""The live projection: identity and orders events → assistants, orders, requests and the index.

Each event is applied in the kit runner's transaction: the state row is folded and saved, the
matcher records its decisions (requests + outbox), and last the in-memory index is changed. Index
changes set states (never add deltas), so when the commit fails and the runner applies the same
event again from the database's state, the index ends up the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from matching.app.matcher import Matcher
from matching.domain.state import (
    ASSISTANT_EVENTS,
    AWARDED,
    FULFILLED,
    ORDER_EVENTS,
    WITHDRAWN,
    OrderState,
    assistant_state,
    evolve_assistant,
    evolve_order,
)
from matching.index import MatchIndex
from matching.readmodels import store
from matching.readmodels.tables import answers
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.matching import RequestCloseReason
from teilhabe_kit import streams

CLOSE_REASON = {
    WITHDRAWN: RequestCloseReason.ORDER_WITHDRAWN,
    AWARDED: RequestCloseReason.ORDER_AWARDED,
    FULFILLED: RequestCloseReason.ORDER_FULFILLED,
}


def _terms_changed(old: OrderState, new: OrderState) -> bool:
    return (old.revision, old.spans, old.activities, old.traits, old.lat, old.lon, old.max_distance_km) != (
        new.revision,
        new.spans,
        new.activities,
        new.traits,
        new.lat,
        new.lon,
        new.max_distance_km,
    )


class MatchingProjection:
    def __init__(self, name: str, topics: list[str], index: MatchIndex, matcher: Matcher) -> None:
        self.name = name
        self.topics = topics
        self.index = index
        self.matcher = matcher

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        """Folds the typed event's current-schema payload (an old schema version arrives upcast)."""
        await self.index.ensure_loaded(conn)
        p = event.model_dump(mode="json")
        if envelope.event_type in ASSISTANT_EVENTS:
            await self._assistant(conn, envelope, p)
        elif envelope.event_type in ORDER_EVENTS:
            await self._order(conn, envelope, p)
        elif envelope.event_type == "OfferSubmitted":
            if p.get("assistant_id"):
                await conn.execute(
                    insert(answers)
                    .values(order_id=envelope.stream_id, assistant_id=p["assistant_id"])
                    .on_conflict_do_nothing()
                )

    async def _assistant(self, conn: AsyncConnection, envelope: EventEnvelope, p: dict) -> None:
        assistant_id = envelope.stream_id
        old = await store.load_assistant(conn, assistant_id)
        new = evolve_assistant(
            None if old is None else dict(old),
            assistant_id,
            envelope.event_type,
            envelope.stream_version,
            p,
        )
        if new == old:
            return
        await store.save_assistant(conn, assistant_id, new)
        state = None if new is None else assistant_state(new)
        if old is None or new is None or {**old, "version": 0} != {**new, "version": 0}:
            await self.matcher.assistant_changed(conn, assistant_id, state, envelope)
        if state is None:
            self.index.assistants.remove(assistant_id)
        else:
            self.index.assistants.put(state)

    async def _order(self, conn: AsyncConnection, envelope: EventEnvelope, p: dict) -> None:
        order_id = envelope.stream_id
        old = await store.load_order(conn, order_id)
        new = evolve_order(old, order_id, envelope.event_type, envelope.stream_version, p)
        if new is old or new is None:
            return
        award: tuple[str | None] | None = None  # (assistant,) awarded now, (None,) award ended
        if envelope.event_type == "OfferAccepted":
            award = (p["assistant_id"],)
        elif envelope.event_type == "AwardEnded":
            award = (None,)
        if award is not None:
            await store.save_award(conn, order_id, *award)
        events: Sequence[DomainEvent] = []
        if new.open and (old is None or not old.open or _terms_changed(old, new)):
            events = await self.matcher.order_terms(conn, new, known=old is not None)
        elif not new.open and old is not None and old.open:
            events = await self.matcher.order_closed(conn, order_id, CLOSE_REASON[new.status])
        new = replace(new, emitted=new.emitted + len(events))
        await store.save_order(conn, new)
        await streams.publish(
            conn,
            self.matcher.topic,
            order_id,
            new.emitted - len(events) + 1,
            events,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
        )
        self.index.orders.put(new)
        if award is not None:
            self.index.assistants.award(order_id, *award)

    async def reset(self, conn: AsyncConnection) -> None:
        """Not by `teilhabe_kit.replay`: replaying decisions would ask assistants again."""
        raise NotImplementedError("rebuild matching with `python -m matching.replay` (it reads its own topic too)")
