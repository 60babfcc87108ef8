"""Which rows of a calendar's read models a commit changes: the days whose free slots must be laid
out anew (all of them when the setup changed), the bookings, and whether groups or the waitlist changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from appointments.domain.calendar import Calendar
from appointments.domain.events import (
    AbsenceRecorded,
    AbsenceRemoved,
    BookingTimesSet,
    CalendarEvent,
    CalendarOpened,
    CounselorProfileChanged,
    GroupAppointmentDescribed,
    HoldReleased,
    WaitlistJoined,
    WaitlistLeft,
)
from teilhabe_events.contexts.appointments import (
    BookingCancelled,
    BookingRescheduled,
    GroupAppointmentCancelled,
    GroupAppointmentScheduled,
    GroupAppointmentUpdated,
    GroupParticipantAdded,
    GroupParticipantRemoved,
    SlotBooked,
    WaitlistOfferExpired,
    WaitlistOfferMade,
)
from teilhabe_kit.localtime import local_date

SETUP = (CalendarOpened, CounselorProfileChanged, BookingTimesSet, AbsenceRecorded, AbsenceRemoved)
GROUPS = (
    GroupAppointmentScheduled,
    GroupAppointmentUpdated,
    GroupAppointmentCancelled,
    GroupAppointmentDescribed,
    GroupParticipantAdded,
    GroupParticipantRemoved,
)
WAITLIST = (WaitlistJoined, WaitlistLeft, WaitlistOfferMade, WaitlistOfferExpired, SlotBooked)


@dataclass
class Touched:
    days: set[date] | None = field(default_factory=set)
    """None: every day (the setup changed)."""
    bookings: set[str] = field(default_factory=set)
    groups: bool = False
    waitlist: bool = False


def touched(previous: Calendar | None, events: Sequence[CalendarEvent]) -> Touched:
    found = Touched()
    days: set[date] = set()
    for event in events:
        if isinstance(event, SETUP):
            found.days = None
        if isinstance(event, HoldReleased) and previous is not None and event.hold_id in previous.holds:
            days.add(local_date(previous.holds[event.hold_id].starts_at))
        if isinstance(event, BookingRescheduled):
            days.add(local_date(event.previous_starts_at))
        if isinstance(event, GroupAppointmentUpdated) and previous is not None:
            known = previous.groups.get(event.group_appointment_id)
            if known is not None:
                days.add(local_date(known.starts_at))
        starts_at = getattr(event, "starts_at", None)
        if starts_at is not None:
            days.add(local_date(starts_at))
        if isinstance(event, SlotBooked | BookingCancelled | BookingRescheduled):
            found.bookings.add(event.booking_id)
        found.groups = found.groups or isinstance(event, GROUPS)
        found.waitlist = found.waitlist or isinstance(event, WAITLIST)
    if found.days is not None:
        found.days = days
    return found


EVERYTHING = Touched(days=None, bookings=set(), groups=True, waitlist=True)
"""A full relayout (the centre's settings changed, a new day began)."""
