"""The order stream on the kit's `load`/`commit`: the views are projected in the commit's transaction.

A concurrent writer makes the append fail → HTTP 409.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.domain.events import Event, OrderDetailsSet
from orders.domain.state import Order, evolve
from orders.readmodels.views import project
from teilhabe_events import registry
from teilhabe_kit import streams
from teilhabe_kit.if_match import expect
from teilhabe_kit.streams import Committed, Loaded, Tx

TOPIC = registry.model("OrderDrafted").topic()
ORDER: streams.Stream[Order, Event] = streams.Stream("order", evolve, internal=[OrderDetailsSet], topic=TOPIC)
STREAM = ORDER.stream_type


async def load(tx: Tx, order_id: str) -> Loaded[Order]:
    """The folded order (None when there is none) and its stream version."""
    return await streams.load(tx.conn, ORDER, order_id)


async def load_existing(tx: Tx, order_id: str) -> tuple[Order, int]:
    """The order or 404."""
    return await streams.load_existing(tx.conn, ORDER, order_id, "Diesen Auftrag gibt es nicht.")


def expect_version(version: int, if_match: int | None) -> None:
    """409 when the caller's `If-Match` version is not the current one (check after authorization)."""
    expect(version, if_match, "Der Auftrag wurde inzwischen geändert. Bitte laden Sie ihn neu.")


async def _project(conn: AsyncConnection, committed: Committed[Order, Event]) -> None:
    assert committed.state is not None
    touched = [event.offer_id for event in committed.events if hasattr(event, "offer_id")]
    await project(conn, committed.state, committed.version, committed.occurred_at, touched)


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
) -> Loaded[Order]:
    """Append `events` after `version`, record the public ones, project; returns the new state and version."""
    committed = await streams.commit(
        tx.conn,
        ORDER,
        order_id,
        Loaded(state, version),
        events,
        actor_id=actor_id,
        causation_id=causation_id,
        correlation_id=correlation_id,
        topic=tx.topic,
        project=_project,
    )
    return Loaded(committed.state, committed.version)
