"""Opening hours: overlaps, and whether a centre is open at a local moment.

A week is counted in minutes from Monday 00:00 (Europe/Berlin): a weekly range is the interval
[weekday·1440 + start, weekday·1440 + end) of that count, which is also how the directory stores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from teilhabe_events.contexts.centres import OpeningHours
from teilhabe_events.contexts.common import WeeklyRange
from teilhabe_kit.localtime import BERLIN

MINUTES_PER_DAY = 24 * 60


def _minute(t: time) -> int:
    return t.hour * 60 + t.minute


def week_interval(weekly: WeeklyRange) -> tuple[int, int]:
    """The range as [start, end) minutes of the week."""
    base = weekly.weekday * MINUTES_PER_DAY
    return base + _minute(weekly.start), base + _minute(weekly.end)


def first_overlap(ranges: Sequence[WeeklyRange]) -> int | None:
    """The index of the first range that overlaps an earlier one (None when none do)."""
    seen: list[tuple[int, int]] = []
    for index, weekly in enumerate(ranges):
        start, end = week_interval(weekly)
        if any(start < other_end and other_start < end for other_start, other_end in seen):
            return index
        seen.append((start, end))
    return None


def minute_of_week(moment: datetime) -> int:
    local = moment.astimezone(BERLIN)
    return local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute


def is_open(hours: OpeningHours, moment: datetime) -> bool:
    """Open at `moment`: inside a weekly range and not on a closing day (Berlin calendar)."""
    local = moment.astimezone(BERLIN)
    if local.date() in hours.closed_on:
        return False
    minute = minute_of_week(moment)
    return any(start <= minute < end for start, end in map(week_interval, hours.weekly))
