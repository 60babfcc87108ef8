"""Slots: the booking times of a counselor laid out over the days ahead, minus what is closed or taken.

A slot is one appointment of one service: it starts at the range's start and every
`duration + follow-up` minutes after, as long as the whole block fits into the range. Ranges of
different services may overlap (parallel slots); once one is booked (or held), every slot of the
counselor that overlaps the booked block is gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from appointments.domain.calendar import Busy, Calendar
from appointments.domain.centre import Centre
from appointments.domain.values import CentreRules, CounselingService
from teilhabe_kit.localtime import BERLIN, local_date


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    service_id: str
    counselor_id: str


@lru_cache(maxsize=256)
def _public_holidays(region: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DE", subdiv=region, years=year).keys())


def holiday_names(region: str | None, first: date, last: date) -> dict[date, str]:
    """Public holidays of the state (German names) between two days."""
    years = range(first.year, last.year + 1)
    found = holidays.country_holidays("DE", subdiv=region, years=years, language="de")
    return {day: str(name) for day, name in sorted(found.items()) if first <= day <= last}


def closed(rules: CentreRules, day: date) -> bool:
    """The centre's closing days and the public holidays of its state."""
    return day in rules.closing_days or day in _public_holidays(rules.region, day.year)


def horizon_end(rules: CentreRules, now: datetime) -> date:
    """The last day slots are offered: the centre's horizon (1, 2, 4 or 8 weeks) from today."""
    return local_date(now) + timedelta(days=7 * rules.horizon_weeks)


def earliest_start(rules: CentreRules, now: datetime) -> datetime:
    return now + timedelta(minutes=rules.lead_minutes)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=BERLIN).astimezone(UTC)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def day_slots(calendar: Calendar, service: CounselingService, day: date, start: time, end: time) -> Iterator[Slot]:
    """The slots of one booking-time range on one day."""
    block = timedelta(minutes=service.block_minutes)
    duration = timedelta(minutes=service.duration_minutes)
    moment, until = _at(day, start), _at(day, end)
    while moment + block <= until:
        yield Slot(moment, moment + duration, moment + block, service.service_id, calendar.counselor_id)
        moment += block


def candidates(calendar: Calendar, centre: Centre, first: date, last: date) -> list[Slot]:
    """Every slot of the booking times between two days (Berlin), on days the centre is open and
    the counselor not absent; taken ones included."""
    found: list[Slot] = []
    for day in _days(first, last):
        if closed(centre.rules, day) or calendar.absent_on(day):
            continue
        for booking_time in calendar.booking_times:
            service = centre.offered(booking_time.service_id)
            if booking_time.weekday == day.weekday() and service is not None:
                found.extend(day_slots(calendar, service, day, booking_time.start, booking_time.end))
    return sorted(found)


def untaken(slots: Iterable[Slot], busy: list[Busy]) -> list[Slot]:
    """The slots that overlap nothing the counselor is busy with."""
    return [s for s in slots if not any(b.overlaps(s.starts_at, s.blocked_until) for b in busy)]


def free(
    calendar: Calendar,
    centre: Centre,
    now: datetime,
    *,
    ignore_holds: bool = False,
    days: Iterable[date] | None = None,
) -> list[Slot]:
    """The bookable slots from the earliest start to the end of the horizon, or only on `days`
    (holds hide slots unless `ignore_holds`: the read model keeps held slots and hides them only
    while held)."""
    rules = centre.rules
    earliest = earliest_start(rules, now)
    first, last = local_date(earliest), horizon_end(rules, now)
    if days is None:
        laid_out = candidates(calendar, centre, first, last)
    else:
        laid_out = [s for day in sorted(days) if first <= day <= last for s in candidates(calendar, centre, day, day)]
    slots = [s for s in laid_out if s.starts_at >= earliest]
    busy = calendar.busy(now)
    if ignore_holds:
        busy = [b for b in busy if b not in calendar.holds.values()]
    return untaken(slots, busy)
