"""Queries of the back office over `centres_view`."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from centres.readmodels.tables import centres_view

LIST_COLUMNS = (
    centres_view.c.centre_id,
    centres_view.c.name,
    centres_view.c.postcode,
    centres_view.c.status,
    centres_view.c.agreement_version,
    centres_view.c.agreement_signed_on,
    centres_view.c.functions,
    centres_view.c.seats,
    centres_view.c.missing,
    centres_view.c.version,
    centres_view.c.updated_at,
)


async def centres(
    conn: AsyncConnection, *, statuses: Sequence[str], name: str | None, page: int, page_size: int
) -> tuple[list[Row], int]:
    conditions = []
    if statuses:
        conditions.append(centres_view.c.status.in_(statuses))
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(centres_view.c.name.ilike(f"%{escaped}%", escape="\\"))
    total = await conn.scalar(select(func.count()).select_from(centres_view).where(*conditions))
    rows = (
        await conn.execute(
            select(*LIST_COLUMNS)
            .where(*conditions)
            .order_by(centres_view.c.name, centres_view.c.centre_id)
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
    ).all()
    return list(rows), int(total or 0)
