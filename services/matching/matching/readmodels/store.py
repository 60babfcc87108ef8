"""Rows of the projection tables to and from domain states; loading and saving them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from matching.domain.state import AssistantState, OrderState, assistant_state, required_spans
from matching.readmodels.tables import (
    CHANGES_LOCK,
    NEXT_CHANGE,
    assistants,
    awards,
    ended_awards,
    orders,
    removed_assistants,
)


def order_row(o: OrderState) -> dict:
    return {
        "order_id": o.order_id,
        "version": o.version,
        "seeker_id": o.seeker_id,
        "revision": o.revision,
        "kind": o.kind,
        "schedule": o.schedule,
        "activities": sorted(o.activities),
        "traits": sorted(o.traits),
        "lat": o.lat,
        "lon": o.lon,
        "max_distance_km": o.max_distance_km,
        "transport_needed": o.transport_needed,
        "status": o.status,
        "emitted": o.emitted,
    }


def order_from(row) -> OrderState:
    return OrderState(
        order_id=row.order_id,
        version=row.version,
        seeker_id=row.seeker_id,
        revision=row.revision,
        kind=row.kind,
        schedule=row.schedule,
        spans=required_spans(row.schedule),
        activities=frozenset(row.activities),
        traits=frozenset(row.traits),
        lat=row.lat,
        lon=row.lon,
        max_distance_km=row.max_distance_km,
        transport_needed=row.transport_needed,
        status=row.status,
        emitted=row.emitted,
    )


async def load_assistant(conn: AsyncConnection, assistant_id: str) -> dict | None:
    """The assistant's record (see `evolve_assistant`), locked for this transaction."""
    row = (
        await conn.execute(select(assistants).where(assistants.c.assistant_id == assistant_id).with_for_update())
    ).first()
    return dict(row._mapping) if row else None


async def numbering(conn: AsyncConnection) -> None:
    """Before a transaction takes change numbers: waits for the one numbering now to commit
    (held until this one ends; taking it again in the same transaction costs one round trip)."""
    await conn.execute(select(func.pg_advisory_xact_lock(CHANGES_LOCK)))


async def save_assistant(conn: AsyncConnection, assistant_id: str, row: dict | None) -> None:
    await numbering(conn)
    if row is None:
        await conn.execute(delete(assistants).where(assistants.c.assistant_id == assistant_id))
        await conn.execute(
            insert(removed_assistants)
            .values(assistant_id=assistant_id)
            .on_conflict_do_update(index_elements=["assistant_id"], set_={"changed": NEXT_CHANGE})
        )
        return
    row = {k: v for k, v in row.items() if k != "changed"}
    await conn.execute(
        insert(assistants)
        .values(row)
        .on_conflict_do_update(index_elements=["assistant_id"], set_=row | {"changed": NEXT_CHANGE})
    )


async def load_order(conn: AsyncConnection, order_id: str, *, lock: bool = True) -> OrderState | None:
    query = select(orders).where(orders.c.order_id == order_id)
    row = (await conn.execute(query.with_for_update() if lock else query)).first()
    return order_from(row) if row else None


async def save_order(conn: AsyncConnection, order: OrderState) -> None:
    await numbering(conn)
    row = order_row(order)
    await conn.execute(
        insert(orders)
        .values(row)
        .on_conflict_do_update(index_elements=["order_id"], set_=row | {"changed": NEXT_CHANGE})
    )


async def reserve_versions(conn: AsyncConnection, order_id: str, count: int) -> int:
    """Reserve `count` versions of matching's own stream about an order (under the order row's lock); the first."""
    last = await conn.scalar(
        update(orders)
        .where(orders.c.order_id == order_id)
        .values(emitted=orders.c.emitted + count)
        .returning(orders.c.emitted)
    )
    return int(last) - count + 1


async def all_assistants(conn: AsyncConnection):
    result = await conn.stream(select(assistants))
    async for row in result:
        yield assistant_state(row._mapping)


async def open_orders(conn: AsyncConnection) -> list[OrderState]:
    rows = await conn.execute(select(orders).where(orders.c.status == "published"))
    return [order_from(r) for r in rows]


async def last_change(conn: AsyncConnection) -> int:
    """The highest change number in the tables (what a snapshot read now has seen)."""
    return int(
        await conn.scalar(
            select(
                func.greatest(
                    select(func.max(assistants.c.changed)).scalar_subquery(),
                    select(func.max(orders.c.changed)).scalar_subquery(),
                    select(func.max(removed_assistants.c.changed)).scalar_subquery(),
                    select(func.max(awards.c.changed)).scalar_subquery(),
                    select(func.max(ended_awards.c.changed)).scalar_subquery(),
                )
            )
        )
        or 0
    )


async def save_award(conn: AsyncConnection, order_id: str, assistant_id: str | None) -> None:
    """The order is awarded to `assistant_id` now (None: its award ended)."""
    await numbering(conn)
    if assistant_id is None:
        await conn.execute(delete(awards).where(awards.c.order_id == order_id))
        await conn.execute(
            insert(ended_awards)
            .values(order_id=order_id)
            .on_conflict_do_update(index_elements=["order_id"], set_={"changed": NEXT_CHANGE})
        )
        return
    await conn.execute(
        insert(awards)
        .values(order_id=order_id, assistant_id=assistant_id)
        .on_conflict_do_update(index_elements=["order_id"], set_={"assistant_id": assistant_id, "changed": NEXT_CHANGE})
    )


@dataclass(frozen=True)
class Changes:
    """What was written after a change number, and the highest number now seen."""

    assistants: list[AssistantState]
    removed: list[str]
    orders: list[OrderState]
    awards: list[tuple[str, str | None]]
    """(order id, assistant id or None when the award ended), in the order they were written."""
    seen: int


async def changes_since(conn: AsyncConnection, seen: int) -> Changes:
    """The rows written after change number `seen`. Run it in one snapshot (REPEATABLE READ): read
    table by table at READ COMMITTED, a commit between two reads could give a higher number while
    a lower one of the same transaction was missed."""
    a = (await conn.execute(select(assistants).where(assistants.c.changed > seen))).all()
    r = (await conn.execute(select(removed_assistants).where(removed_assistants.c.changed > seen))).all()
    o = (await conn.execute(select(orders).where(orders.c.changed > seen))).all()
    w = (await conn.execute(select(awards).where(awards.c.changed > seen))).all()
    e = (await conn.execute(select(ended_awards).where(ended_awards.c.changed > seen))).all()
    top = max([seen, *(x.changed for rows in (a, r, o, w, e) for x in rows)])
    award_changes = sorted(
        [(x.changed, x.order_id, x.assistant_id) for x in w] + [(x.changed, x.order_id, None) for x in e]
    )
    return Changes(
        [assistant_state(x._mapping) for x in a],
        [x.assistant_id for x in r],
        [order_from(x) for x in o],
        [(order_id, assistant_id) for _, order_id, assistant_id in award_changes],
        top,
    )


async def pending_changes(conn: AsyncConnection, seen: int) -> int:
    """How many change numbers were taken after `seen` (an upper bound of the changes not yet followed)."""
    last = await conn.scalar(text("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM projection_changes"))
    return max(0, int(last or 0) - seen)


async def all_awards(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(order id, assistant id) of every current award."""
    return [(o, a) for o, a in await conn.execute(select(awards.c.order_id, awards.c.assistant_id))]
