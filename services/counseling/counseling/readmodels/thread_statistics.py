"""Mail counseling's figures of a centre for a period (Berlin days of the answer): how many waits
were answered, how long clients waited (median, average, longest, in hours), how many answers came
within the centre's overdue period; and now: requests waiting, overdue, and the next due date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.readmodels.thread_tables import mail_responses as r
from counseling.readmodels.thread_tables import mail_threads as m

BERLIN = "Europe/Berlin"


def _hours(value: Any) -> float | None:
    return None if value is None else round(float(value) / 3600, 1)


async def mail_statistics(
    conn: AsyncConnection, centre_id: str, start: date, end: date, overdue_days: int, now: datetime
) -> dict[str, Any]:
    waited = extract("epoch", r.c.answered_at - r.c.asked_at)
    answered_on = cast(func.timezone(BERLIN, r.c.answered_at), Date)
    month = func.to_char(func.timezone(BERLIN, r.c.answered_at), "YYYY-MM")
    in_time = func.count().filter(r.c.answered_at - r.c.asked_at <= timedelta(days=overdue_days))
    figures = (
        func.count().label("answered"),
        func.percentile_cont(0.5).within_group(waited).label("median"),
        func.avg(waited).label("average"),
        func.max(waited).label("longest"),
        in_time.label("in_time"),
    )
    where = (r.c.centre_id == centre_id, answered_on.between(start, end))
    total = (await conn.execute(select(*figures).where(*where))).one()
    months = (
        await conn.execute(select(month.label("month"), *figures).where(*where).group_by(month).order_by(month))
    ).all()
    limit = now - timedelta(days=overdue_days)
    waiting = (
        await conn.execute(
            select(
                func.count().label("waiting"),
                func.count().filter(m.c.waiting_since < limit).label("overdue"),
                func.min(m.c.waiting_since).label("oldest"),
            ).where(m.c.centre_id == centre_id, m.c.waiting_since.is_not(None))
        )
    ).one()

    def row_figures(row: Any) -> dict[str, Any]:
        return {
            "answered": int(row.answered),
            "median_hours": _hours(row.median),
            "average_hours": _hours(row.average),
            "longest_hours": _hours(row.longest),
            "answered_in_time": int(row.in_time),
        }

    return {
        "overdue_days": overdue_days,
        "total": row_figures(total),
        "month": [{"key": row.month, **row_figures(row)} for row in months],
        "waiting": int(waiting.waiting),
        "overdue": int(waiting.overdue),
        "next_due_at": waiting.oldest + timedelta(days=overdue_days) if waiting.oldest else None,
    }
