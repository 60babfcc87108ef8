"""Statistics of a centre's case records for a period: counts and minutes per subject (topic),
channel, counselor and month — one pass over the period's rows (GROUPING SETS on the covering index)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.readmodels.tables import case_records

DIMENSIONS = ("subject", "channel", "counselor_id", "month")


async def statistics(conn: AsyncConnection, centre_id: str, start: date, end: date) -> dict[str, Any]:
    month = func.to_char(case_records.c.occurred_on, "YYYY-MM").label("month")
    subject, channel, counselor = case_records.c.subject, case_records.c.channel, case_records.c.counselor_id
    grouping = func.grouping(subject, channel, counselor, month).label("g")
    rows = await conn.execute(
        select(
            subject,
            channel,
            counselor,
            month,
            grouping,
            func.count().label("n"),
            func.sum(case_records.c.minutes).label("total_minutes"),
        )
        .where(case_records.c.centre_id == centre_id, case_records.c.occurred_on.between(start, end))
        .group_by(func.grouping_sets(tuple_(subject), tuple_(channel), tuple_(counselor), tuple_(month), tuple_()))
    )
    result: dict[str, Any] = {d: [] for d in DIMENSIONS} | {"total": {"count": 0, "minutes": 0}}
    # grouping() bits (subject, channel, counselor, month): 1 where the column is not grouped
    which = {0b0111: "subject", 0b1011: "channel", 0b1101: "counselor_id", 0b1110: "month"}
    for row in rows:
        figures = {"count": int(row.n), "minutes": int(row.total_minutes or 0)}
        if row.g == 0b1111:
            result["total"] = figures
            continue
        name = which[row.g]
        result[name].append({"key": getattr(row, name), **figures})
    for name in DIMENSIONS:
        result[name].sort(key=lambda item: item["key"] if name == "month" else (-item["count"], item["key"]))
    return result
