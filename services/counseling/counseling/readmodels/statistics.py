"""Statistics of a centre's case records for a period: counts and minutes per subject (topic),
channel, counselor and month. Whole months of the period come from the monthly sums
(`record_months`), only the days of a partial month at its edges from `case_records`; one
GROUPING SETS pass over both."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, literal, or_, select, tuple_, union_all
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from counseling.readmodels.tables import case_records, record_months

DIMENSIONS = ("subject", "channel", "counselor_id", "month")


def whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first day of the first and of the last month lying wholly in [start, end], if any."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after_end = end + timedelta(days=1)
    last = (after_end.replace(day=1) - timedelta(days=1)).replace(day=1) if after_end.day != 1 else end.replace(day=1)
    return (first, last) if first <= last else None


async def statistics(conn: AsyncConnection, centre_id: str, start: date, end: date) -> dict[str, Any]:
    months = whole_months(start, end)
    raw_days: ColumnElement[bool] = case_records.c.occurred_on.between(start, end)
    parts = []
    if months is not None:
        first, last = months
        month_end = (last.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        raw_days = or_(
            case_records.c.occurred_on.between(start, first - timedelta(days=1)),
            case_records.c.occurred_on.between(month_end + timedelta(days=1), end),
        )
        parts.append(
            select(
                record_months.c.subject,
                record_months.c.channel,
                record_months.c.counselor_id,
                func.to_char(record_months.c.month, "YYYY-MM").label("month"),
                record_months.c.records.label("n"),
                record_months.c.minutes.label("m"),
            ).where(record_months.c.centre_id == centre_id, record_months.c.month.between(first, last))
        )
    parts.append(
        select(
            case_records.c.subject,
            case_records.c.channel,
            case_records.c.counselor_id,
            func.to_char(case_records.c.occurred_on, "YYYY-MM").label("month"),
            literal(1).label("n"),
            case_records.c.minutes.label("m"),
        ).where(case_records.c.centre_id == centre_id, raw_days)
    )
    rows_of = union_all(*parts).subquery("rows_of")
    subject, channel, counselor, month = rows_of.c.subject, rows_of.c.channel, rows_of.c.counselor_id, rows_of.c.month
    rows = await conn.execute(
        select(
            subject,
            channel,
            counselor,
            month,
            func.grouping(subject, channel, counselor, month).label("g"),
            func.sum(rows_of.c.n).label("n"),
            func.sum(rows_of.c.m).label("total_minutes"),
        )
        .group_by(func.grouping_sets(tuple_(subject), tuple_(channel), tuple_(counselor), tuple_(month), tuple_()))
        .having(func.sum(rows_of.c.n) > 0)
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
    result["month"].sort(key=lambda item: item["key"])
    for name in ("subject", "channel", "counselor_id"):
        result[name].sort(key=lambda item: (-item["count"], item["key"]))
    return result
