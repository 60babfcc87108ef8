"""The CSV export of a centre's case records (Excel: UTF-8 with BOM, semicolon) and the period rule."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from counseling.readmodels import queries
from teilhabe_events.centre_catalogue import TOPIC_LABELS
from teilhabe_kit.localtime import today
from teilhabe_kit.problems import Unprocessable

BOM = "\ufeff"
HEADER = ["Datum", "Dauer (Minuten)", "Thema", "Kanal", "Pseudonym", "Berater:in", "Monitoring-ID"]
CHANNELS_DE = {
    "mail": "Mailberatung",
    "chat": "Chat",
    "appointment": "Termin",
    "on_site": "vor Ort",
    "phone": "Telefon",
    "video": "Video",
    "other": "Sonstiges",
}


def period(start: date | None, end: date | None) -> tuple[date, date]:
    """Default: 1 January of this year (Berlin) to today; `to` before `from` → 422."""
    now = today()
    first = start or date(now.year, 1, 1)
    last = end or now
    if last < first:
        raise Unprocessable("Das Ende des Zeitraums liegt vor seinem Anfang.", field="to")
    if (last - first).days > 3 * 366:
        raise Unprocessable("Der Zeitraum darf höchstens drei Jahre lang sein.", field="to")
    return first, last


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # no formulas in Excel


def _line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow([_cell(v) for v in values])
    return buffer.getvalue()


async def csv_rows(
    engine: AsyncEngine, centre_id: str, start: date, end: date, fields: list[dict[str, Any]]
) -> AsyncIterator[bytes]:
    yield (BOM + _line(HEADER + [f["label"] for f in fields])).encode()
    async with engine.connect() as conn:
        rows = await queries.records_for_export(conn, centre_id, start, end)
        async for row in rows:
            values = [
                f"{row.occurred_on:%d.%m.%Y}",
                row.minutes,
                TOPIC_LABELS.get(row.subject, (row.subject,))[0],
                CHANNELS_DE.get(row.channel, row.channel),
                row.pseudonym,
                row.display_name or row.counselor_id,
                row.id,
            ]
            values += [row.fields.get(f["key"]) for f in fields]
            yield _line(values).encode()
