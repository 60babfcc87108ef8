"""Rows of the projection tables to and from domain states; loading and saving them."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from matching.domain.state import AssistantState, OrderState, required_spans
from matching.domain.time import Span
from matching.readmodels.tables import assistants, awards, orders


def assistant_row(s: AssistantState) -> dict:
    return {
        "assistant_id": s.assistant_id, "version": s.version, "activities": sorted(s.activities),
        "spans": [[x.weekday, x.start, x.end] for x in s.spans], "lat": s.lat, "lon": s.lon,
        "radius_km": s.radius_km, "traits": sorted(s.traits), "activated": s.activated,
        "locked": s.locked, "deletion_requested": s.deletion_requested,
        "provider_id": s.provider_id, "self_employed": s.self_employed,
    }


def assistant_from(row) -> AssistantState:
    return AssistantState(
        assistant_id=row.assistant_id, version=row.version, activities=frozenset(row.activities),
        spans=tuple(Span(*x) for x in row.spans), lat=row.lat, lon=row.lon, radius_km=row.radius_km,
        traits=frozenset(row.traits), activated=row.activated, locked=row.locked,
        deletion_requested=row.deletion_requested, provider_id=row.provider_id,
        self_employed=row.self_employed,
    )


def order_row(o: OrderState) -> dict:
    return {
        "order_id": o.order_id, "version": o.version, "seeker_id": o.seeker_id, "revision": o.revision,
        "kind": o.kind, "schedule": o.schedule, "activities": sorted(o.activities),
        "traits": sorted(o.traits), "lat": o.lat, "lon": o.lon, "max_distance_km": o.max_distance_km,
        "transport_needed": o.transport_needed, "status": o.status,
    }


def order_from(row) -> OrderState:
    return OrderState(
        order_id=row.order_id, version=row.version, seeker_id=row.seeker_id, revision=row.revision,
        kind=row.kind, schedule=row.schedule, spans=required_spans(row.schedule),
        activities=frozenset(row.activities), traits=frozenset(row.traits), lat=row.lat, lon=row.lon,
        max_distance_km=row.max_distance_km, transport_needed=row.transport_needed, status=row.status,
    )


async def load_assistant(conn: AsyncConnection, assistant_id: str) -> AssistantState | None:
    row = (await conn.execute(
        select(assistants).where(assistants.c.assistant_id == assistant_id).with_for_update()
    )).first()
    return assistant_from(row) if row else None


async def save_assistant(conn: AsyncConnection, assistant_id: str, state: AssistantState | None) -> None:
    if state is None:
        await conn.execute(delete(assistants).where(assistants.c.assistant_id == assistant_id))
        return
    row = assistant_row(state)
    await conn.execute(
        insert(assistants).values(row).on_conflict_do_update(index_elements=["assistant_id"], set_=row)
    )


async def load_order(conn: AsyncConnection, order_id: str, *, lock: bool = True) -> OrderState | None:
    query = select(orders).where(orders.c.order_id == order_id)
    row = (await conn.execute(query.with_for_update() if lock else query)).first()
    return order_from(row) if row else None


async def save_order(conn: AsyncConnection, order: OrderState) -> None:
    row = order_row(order)
    await conn.execute(insert(orders).values(row).on_conflict_do_update(index_elements=["order_id"], set_=row))


async def all_assistants(conn: AsyncConnection):
    result = await conn.stream(select(assistants))
    async for row in result:
        yield assistant_from(row)


async def open_orders(conn: AsyncConnection) -> list[OrderState]:
    rows = await conn.execute(select(orders).where(orders.c.status == "published"))
    return [order_from(r) for r in rows]


async def workloads(conn: AsyncConnection) -> dict[str, int]:
    rows = await conn.execute(select(awards.c.assistant_id, func.count()).group_by(awards.c.assistant_id))
    return {a: n for a, n in rows}
