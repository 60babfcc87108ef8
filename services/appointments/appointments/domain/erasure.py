"""Releasing what an erased client held in one calendar."""

from __future__ import annotations

from datetime import datetime

from appointments.domain import booking, groups, waitlist
from appointments.domain.calendar import Calendar, evolve
from appointments.domain.centre import Centre
from appointments.domain.events import CalendarEvent, HoldReleased


def release(calendar: Calendar, centre: Centre, client_id: str, now: datetime) -> list[CalendarEvent]:
    """Cancel the client's upcoming bookings (the freed slots go to the waitlist), drop their holds,
    waitlist entries and seats in upcoming group appointments."""
    events: list[CalendarEvent] = []
    state = calendar

    def take(new: list[CalendarEvent]) -> None:
        nonlocal state
        for event in new:
            state = evolve(state, event, calendar.calendar_id)
            events.append(event)

    for entry in [e for e in state.waitlist if e.client_id == client_id]:
        take(list(waitlist.leave(state, entry_id=entry.entry_id, client_id=None)))
    for hold in [h for h in state.holds.values() if h.client_id == client_id and h.entry_id is None]:
        take([HoldReleased(hold_id=hold.hold_id)])
    for group in [g for g in state.groups.values() if client_id in g.participants and g.starts_at > now]:
        take(list(groups.remove_participant(state, group.group_appointment_id, client_id, "staff")))
    for upcoming in [b for b in state.bookings.values() if b.client_id == client_id and b.starts_at > now]:
        take(booking.cancel(state, centre, booking_id=upcoming.booking_id, by="staff", client_id=None, now=now))
    return events
