"""Weekly time: ranges as seconds of the day (Europe/Berlin local), coverage, 15-minute slot masks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from itertools import groupby
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic stays out of the rebuild's worker processes (`matching.fold`)
    from teilhabe_events.contexts.common import WeeklyRange

DAY = 86_400
SLOT = 900  # 15 minutes
SLOTS_PER_DAY = DAY // SLOT
WEEK_SLOTS = 7 * SLOTS_PER_DAY


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """[start, end) seconds of the day on a weekday (0 = Monday)."""

    weekday: int
    start: int
    end: int

    @classmethod
    def parse(cls, data: dict) -> Span:
        """From a payload's WeeklyRange dict (times as ISO strings or `time` objects)."""
        return cls(data["weekday"], seconds_of_day(data["start"]), seconds_of_day(data["end"]))

    @property
    def seconds(self) -> int:
        return self.end - self.start

    def to_range(self) -> WeeklyRange:
        from teilhabe_events.contexts.common import WeeklyRange

        return WeeklyRange(weekday=self.weekday, start=_time(self.start), end=_time(self.end))


def seconds_of_day(value: str | time) -> int:
    if isinstance(value, str):
        seconds = _SECONDS.get(value)
        if seconds is None:
            seconds = seconds_of_day(time.fromisoformat(value))
            if len(_SECONDS) < 4096:
                _SECONDS[value] = seconds
        return seconds
    return value.hour * 3600 + value.minute * 60 + value.second


_SECONDS: dict[str, int] = {}
"""Seconds of the day by ISO time, cached: ranges use few distinct times (a rebuild parses millions)."""


def _time(seconds: int) -> time:
    return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)


def merged(spans: tuple[Span, ...] | list[Span]) -> list[Span]:
    """Sorted spans with touching or overlapping ones joined (08–10 and 10–12 become 08–12)."""
    out: list[Span] = []
    for weekday, group in groupby(sorted(spans), key=lambda s: s.weekday):
        first, *rest = group
        start, end = first.start, first.end
        for span in rest:
            if span.start <= end:
                end = max(end, span.end)
            else:
                out.append(Span(weekday, start, end))
                start, end = span.start, span.end
        out.append(Span(weekday, start, end))
    return out


def covering(available: list[Span], required: Span) -> Span | None:
    """The merged available span that contains `required`, if any (`available` merged)."""
    for span in available:
        if span.weekday == required.weekday and span.start <= required.start and required.end <= span.end:
            return span
    return None


def full_mask(spans) -> int:
    """Bits of the week's 15-minute slots lying entirely inside the spans."""
    mask = 0
    for span in merged(spans):
        lo, hi = -(-span.start // SLOT), span.end // SLOT
        if hi > lo:
            mask |= ((1 << (hi - lo)) - 1) << (span.weekday * SLOTS_PER_DAY + lo)
    return mask


def any_mask(spans) -> int:
    """Bits of the week's 15-minute slots the spans touch (with a positive length)."""
    mask = 0
    for span in merged(spans):
        lo, hi = span.start // SLOT, -(-span.end // SLOT)
        mask |= ((1 << (hi - lo)) - 1) << (span.weekday * SLOTS_PER_DAY + lo)
    return mask
