"""Rows of the projection tables to and from domain states; loading and saving them."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from matching.domain.state import OrderState, assistant_state, required_spans
from matching.readmodels.tables import NEXT_CHANGE, assistants, awards, orders, removed_assistants


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


async def save_assistant(conn: AsyncConnection, assistant_id: str, row: dict | None) -> None:
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
                )
            )
        )
        or 0
    )


async def changes_since(conn: AsyncConnection, seen: int):
    """(assistant states, removed assistant ids, orders) written after change number `seen`, and the
    new highest number."""
    a = (await conn.execute(select(assistants).where(assistants.c.changed > seen))).all()
    r = (await conn.execute(select(removed_assistants).where(removed_assistants.c.changed > seen))).all()
    o = (await conn.execute(select(orders).where(orders.c.changed > seen))).all()
    top = max([seen, *(x.changed for x in a), *(x.changed for x in r), *(x.changed for x in o)])
    return [assistant_state(x._mapping) for x in a], [x.assistant_id for x in r], [order_from(x) for x in o], top


async def all_awards(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(order id, assistant id) of every current award."""
    return [(o, a) for o, a in await conn.execute(select(awards.c.order_id, awards.c.assistant_id))]
