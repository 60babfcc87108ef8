"""Read queries of matching's HTTP API (the API module only shapes their answers)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from matching.readmodels.tables import answers, orders, requests


async def open_requests_page(
    conn: AsyncConnection, assistant_id: str, answered: bool | None, limit: int, offset: int
) -> tuple[int, Sequence[Row]]:
    """The assistant's open requests joined with their orders (and `answered`), newest first, and
    how many there are in all; `answered` True/False keeps only (not) answered ones."""
    is_answered = answers.c.assistant_id.is_not(None)
    where = [requests.c.assistant_id == assistant_id, requests.c.closed_at.is_(None)]
    if answered is not None:
        where.append(is_answered if answered else ~is_answered)
    joined = requests.join(orders, orders.c.order_id == requests.c.order_id).outerjoin(
        answers, and_(answers.c.order_id == requests.c.order_id, answers.c.assistant_id == requests.c.assistant_id)
    )
    total = await conn.scalar(select(func.count()).select_from(joined).where(*where))
    rows = (
        await conn.execute(
            select(requests, orders, is_answered.label("answered"))
            .select_from(joined)
            .where(*where)
            .order_by(requests.c.sent_at.desc(), requests.c.order_id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return total or 0, rows


async def answered_assistants(conn: AsyncConnection, order_id: str) -> set[str]:
    """The assistants who answered a request about the order."""
    return set((await conn.scalars(select(answers.c.assistant_id).where(answers.c.order_id == order_id))).all())
