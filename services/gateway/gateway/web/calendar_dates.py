"""The dates of an assistant's assignments (pure): occurrences of an order's schedule within a period,
the days of a week or month view, and the iCalendar text (RFC 5545) of the same entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from teilhabe_kit.localtime import BERLIN

STEP_WEEKS = {"weekly": 1, "biweekly": 2}


@dataclass(frozen=True)
class Entry:
    """One appointment: from `start` to `end` (Europe/Berlin), what it is, where it links to."""

    uid: str
    start: datetime
    end: datetime
    title: str
    state: str
    href: str


def _at(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(str(clock)[:5]), tzinfo=BERLIN)


def occurrences(schedule: dict[str, Any], first: date, last: date) -> list[tuple[datetime, datetime]]:
    """(start, end) of each appointment of an order's schedule between `first` and `last` (inclusive).
    Weekly and biweekly ranges repeat from the start date; monthly ones fall in the first week of
    each month (the agreed day within the month is settled in the contract)."""
    if schedule.get("kind") == "one_time":
        day = date.fromisoformat(schedule["date"])
        return [(_at(day, schedule["start"]), _at(day, schedule["end"]))] if first <= day <= last else []
    begin = date.fromisoformat(schedule["start_date"])
    found = []
    day = max(first, begin)
    while day <= last:
        for r in schedule.get("ranges", []):
            if day.weekday() != int(r["weekday"]):
                continue
            weeks = (day - begin).days // 7
            interval = schedule.get("interval", "weekly")
            if interval == "monthly" and day.day > 7:
                continue
            if interval in STEP_WEEKS and weeks % STEP_WEEKS[interval]:
                continue
            found.append((_at(day, r["start"]), _at(day, r["end"])))
        day += timedelta(days=1)
    return found


def period(view: str, anchor: date) -> tuple[date, date]:
    """The first and last day shown: Monday to Sunday of `anchor`'s week, or the weeks covering its month."""
    if view == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday, monday + timedelta(days=6)
    first = anchor.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = following - timedelta(days=1)
    return start, end + timedelta(days=6 - end.weekday())


def weeks(first: date, last: date, entries: list[Entry]) -> list[list[tuple[date, list[Entry]]]]:
    """The days from `first` to `last` in rows of seven, each with its entries by start time."""
    by_day: dict[date, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: e.start):
        by_day.setdefault(entry.start.date(), []).append(entry)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [[(d, by_day.get(d, [])) for d in days[i : i + 7]] for i in range(0, len(days), 7)]


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(entries: list[Entry], name: str, base_url: str, now: datetime) -> str:
    """An iCalendar document of the entries (times in UTC, lines ending CRLF)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Teilhabe//Assistenz-Portal//DE",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for entry in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.uid}@teilhabe",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(entry.start)}",
            f"DTEND:{_utc(entry.end)}",
            f"SUMMARY:{_text(entry.title)}",
            f"DESCRIPTION:{_text(entry.state)}",
            f"URL:{base_url.rstrip('/')}{entry.href}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
