"""Queries over the orders and offers views (paginated lists, newest change first)."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from orders.readmodels.tables import offers_view, orders_view


async def order_row(conn: AsyncConnection, order_id: str):
    return (await conn.execute(select(orders_view).where(orders_view.c.order_id == order_id))).first()


async def offer_row(conn: AsyncConnection, offer_id: str):
    return (await conn.execute(select(offers_view).where(offers_view.c.offer_id == offer_id))).first()


async def offers_of(
    conn: AsyncConnection, order_id: str, *, assistant_id: str | None = None, organisation_id: str | None = None
) -> list:
    """The order's offers; narrowed to one assistant's or one provider's when given."""
    query = select(offers_view).where(offers_view.c.order_id == order_id)
    narrowed = [
        column == value
        for column, value in (
            (offers_view.c.assistant_id, assistant_id),
            (offers_view.c.organisation_id, organisation_id),
        )
        if value is not None
    ]
    if narrowed:
        query = query.where(or_(*narrowed))
    return list(await conn.execute(query.order_by(offers_view.c.created_at, offers_view.c.offer_id)))


async def _page(conn: AsyncConnection, query, order_by, page: int, page_size: int) -> tuple[list, int]:
    total = await conn.execute(select(func.count()).select_from(query.subquery()))
    rows = await conn.execute(query.order_by(*order_by).limit(page_size).offset((page - 1) * page_size))
    return list(rows), total.scalar_one()


async def orders_of(
    conn: AsyncConnection,
    *,
    seeker_id: str | None,
    created_by: str | None,
    statuses: list[str] | None,
    page: int,
    page_size: int,
) -> tuple[list, int]:
    """Orders of a seeker (or created by a coordinator), deleted ones left out."""
    query = select(orders_view).where(orders_view.c.deleted.is_(False))
    if seeker_id is not None:
        query = query.where(orders_view.c.seeker_id == seeker_id)
    if created_by is not None:
        query = query.where(orders_view.c.created_by == created_by)
    if statuses:
        query = query.where(orders_view.c.status.in_(statuses))
    return await _page(conn, query, (orders_view.c.updated_at.desc(), orders_view.c.order_id), page, page_size)


async def offers_list(
    conn: AsyncConnection,
    *,
    assistant_id: str | None = None,
    organisation_id: str | None = None,
    statuses: list[str] | None,
    page: int,
    page_size: int,
) -> tuple[list, int]:
    """One assistant's or one provider's offers, each with its order's status."""
    query = select(offers_view, orders_view.c.status.label("order_status")).join(
        orders_view, orders_view.c.order_id == offers_view.c.order_id
    )
    if assistant_id is not None:
        query = query.where(offers_view.c.assistant_id == assistant_id)
    if organisation_id is not None:
        query = query.where(offers_view.c.organisation_id == organisation_id)
    if statuses:
        query = query.where(offers_view.c.status.in_(statuses))
    return await _page(conn, query, (offers_view.c.updated_at.desc(), offers_view.c.offer_id), page, page_size)
