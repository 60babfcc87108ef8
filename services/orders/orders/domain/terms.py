"""The terms of an order as people enter them, checked into the schedule types of the contract.

Rules that need more than one field or today's date live here, so that every mistake is refused
with the name of the field (422) before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.contexts.common import WeeklyRange
from teilhabe_events.contexts.orders import Interval, OneTimeSchedule, RecurringSchedule
from teilhabe_kit.problems import Unprocessable


class ScheduleIn(BaseModel):
    """One-time: `date`, `start`, `end`. Recurring: `start_date`, `interval`,
    `appointments_per_interval`, weekly `ranges`, optional `end_date`. Times are Europe/Berlin."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["one_time", "recurring"]
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    start_date: dt.date | None = None
    interval: Interval | None = None
    appointments_per_interval: int | None = Field(default=None, ge=1, le=14)
    ranges: list[WeeklyRange] = Field(default=[], max_length=21)
    end_date: dt.date | None = None


def _required(value, name: str, label: str):
    if value is None:
        raise Unprocessable(f"Bitte geben Sie {label} an.", field=f"schedule.{name}")
    return value


def _not_past(day: date, name: str, today: date) -> None:
    if day < today:
        raise Unprocessable("Dieses Datum liegt in der Vergangenheit.", field=f"schedule.{name}")


def _no_overlaps(ranges: list[WeeklyRange]) -> None:
    ordered = sorted(ranges, key=lambda r: (r.weekday, r.start))
    for before, after in zip(ordered, ordered[1:]):
        if before.weekday == after.weekday and after.start < before.end:
            raise Unprocessable("Zwei Zeiten am selben Wochentag überschneiden sich.", field="schedule.ranges")


def schedule_of(given: ScheduleIn, today: date) -> OneTimeSchedule | RecurringSchedule:
    """The checked schedule; raises Unprocessable naming the field (`schedule.<name>`)."""
    if given.kind == "one_time":
        day = _required(given.date, "date", "das Datum")
        start = _required(given.start, "start", "die Anfangszeit")
        end = _required(given.end, "end", "die Endzeit")
        if end <= start:
            raise Unprocessable("Das Ende muss nach dem Anfang liegen.", field="schedule.end")
        _not_past(day, "date", today)
        return OneTimeSchedule(date=day, start=start, end=end)
    start_date = _required(given.start_date, "start_date", "den ersten Tag")
    interval = _required(given.interval, "interval", "an, wie oft (wöchentlich, alle zwei Wochen, monatlich),")
    count = _required(given.appointments_per_interval, "appointments_per_interval", "die Zahl der Termine pro Zeitraum")
    if not given.ranges:
        raise Unprocessable("Bitte geben Sie mindestens eine Zeit pro Woche an.", field="schedule.ranges")
    _no_overlaps(given.ranges)
    _not_past(start_date, "start_date", today)
    if given.end_date is not None and given.end_date < start_date:
        raise Unprocessable("Das Ende muss nach dem Anfang liegen.", field="schedule.end_date")
    return RecurringSchedule(
        start_date=start_date,
        interval=interval,
        appointments_per_interval=count,
        ranges=given.ranges,
        end_date=given.end_date,
    )


def still_ahead(schedule: OneTimeSchedule | RecurringSchedule, today: date) -> None:
    """A draft may only be released while its (first) day has not passed."""
    if isinstance(schedule, OneTimeSchedule):
        _not_past(schedule.date, "date", today)
    elif schedule.end_date is not None:
        _not_past(schedule.end_date, "end_date", today)
