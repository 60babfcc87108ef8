"""Decisions on single appointments: hold a slot, book it, cancel or move a booking.

Every decision runs on the counselor's whole calendar, loaded under the calendar's lock: a slot is
booked at most once, and a booking removes every overlapping slot of the counselor.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from appointments.domain import waitlist
from appointments.domain.calendar import Booking, Calendar, evolve
from appointments.domain.centre import Centre
from appointments.domain.events import CalendarEvent, SlotHeld
from appointments.domain.rules import offered_service, require_free, require_regular_client, slot_at
from teilhabe_events.contexts.appointments import BookingCancelled, BookingRescheduled, Party, SlotBooked
from teilhabe_kit.problems import Conflict, NotFound

NO_BOOKING = "Diesen Termin gibt es nicht."


def hold(
    calendar: Calendar,
    centre: Centre,
    *,
    hold_id: str,
    client_id: str,
    service_id: str,
    starts_at: datetime,
    now: datetime,
    primary_counselor_id: str | None,
) -> list[SlotHeld]:
    """Reserve a slot for the client for the centre's hold time while they confirm."""
    service = offered_service(centre, service_id)
    slot = slot_at(calendar, centre, service, starts_at, now)
    require_regular_client(calendar, service, primary_counselor_id)
    require_free(calendar, slot, now, for_client=client_id)
    expires_at = now + timedelta(minutes=centre.rules.hold_minutes)
    return [
        SlotHeld(
            hold_id=hold_id,
            client_id=client_id,
            service_id=service_id,
            starts_at=slot.starts_at,
            blocked_until=slot.blocked_until,
            expires_at=expires_at,
        )
    ]


def book(
    calendar: Calendar,
    centre: Centre,
    *,
    booking_id: str,
    client_id: str,
    service_id: str,
    starts_at: datetime,
    now: datetime,
    booked_by: Party,
    primary_counselor_id: str | None = None,
) -> list[SlotBooked]:
    """Book the slot for the client (their own hold or waitlist offer of it does not stand in the way)."""
    service = offered_service(centre, service_id)
    slot = slot_at(calendar, centre, service, starts_at, now)
    if booked_by == "client":
        require_regular_client(calendar, service, primary_counselor_id)
    require_free(calendar, slot, now, for_client=client_id)
    return [
        SlotBooked(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            booking_id=booking_id,
            client_id=client_id,
            service_id=service_id,
            channel=service.channel.value,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            blocked_until=slot.blocked_until,
            booked_by=booked_by,
        )
    ]


def confirm(
    calendar: Calendar, centre: Centre, *, hold_id: str, client_id: str, booking_id: str, now: datetime
) -> list[SlotBooked]:
    """Book what the client held (or was offered from the waitlist); an expired hold still books
    when nobody took the slot meanwhile."""
    held = calendar.holds.get(hold_id)
    if held is None or held.client_id != client_id:
        raise NotFound("Diese Reservierung gibt es nicht (mehr).", en="There is no such reservation.")
    return book(
        calendar,
        centre,
        booking_id=booking_id,
        client_id=client_id,
        service_id=held.service_id,
        starts_at=held.starts_at,
        now=now,
        booked_by="client",
        primary_counselor_id=calendar.counselor_id,  # the rule was checked when the slot was held
    )


def _own_booking(calendar: Calendar, booking_id: str, by: Party, client_id: str | None) -> Booking:
    booking = calendar.bookings.get(booking_id)
    if booking is None or (by == "client" and booking.client_id != client_id):
        raise NotFound(NO_BOOKING, en="There is no such appointment.")
    return booking


def _require_notice(centre: Centre, booking: Booking, by: Party, now: datetime, what: str) -> None:
    if by != "client":
        return
    hours = centre.rules.notice_hours
    if now > booking.starts_at - timedelta(hours=hours):
        raise Conflict(
            f"{what} ist nur bis {hours} Stunden vor dem Termin möglich. Bitte rufen Sie die Beratungsstelle an.",
            en=f"This is possible only until {hours} hours before the appointment. Please call the centre.",
        )


def cancel(
    calendar: Calendar, centre: Centre, *, booking_id: str, by: Party, client_id: str | None, now: datetime
) -> list[CalendarEvent]:
    """Cancel a booking (clients until the notice period); the freed slot goes to the waitlist."""
    booking = _own_booking(calendar, booking_id, by, client_id)
    _require_notice(centre, booking, by, now, "Absagen")
    cancelled = BookingCancelled(
        centre_id=calendar.centre_id,
        counselor_id=calendar.counselor_id,
        booking_id=booking_id,
        client_id=booking.client_id,
        starts_at=booking.starts_at,
        cancelled_by=by,
    )
    after = evolve(calendar, cancelled, calendar.calendar_id)
    return [cancelled, *waitlist.offer_freed(after, centre, booking.service_id, booking.starts_at, now)]


def reschedule(
    calendar: Calendar,
    centre: Centre,
    *,
    booking_id: str,
    starts_at: datetime,
    by: Party,
    client_id: str | None,
    now: datetime,
) -> list[CalendarEvent]:
    """Move a booking to another free slot of the same service (clients until the notice period)."""
    booking = _own_booking(calendar, booking_id, by, client_id)
    _require_notice(centre, booking, by, now, "Verschieben")
    service = offered_service(centre, booking.service_id)
    slot = slot_at(calendar, centre, service, starts_at, now)
    require_free(calendar, slot, now, for_client=booking.client_id, except_booking=booking_id)
    moved = BookingRescheduled(
        centre_id=calendar.centre_id,
        counselor_id=calendar.counselor_id,
        booking_id=booking_id,
        client_id=booking.client_id,
        previous_starts_at=booking.starts_at,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        blocked_until=slot.blocked_until,
        rescheduled_by=by,
    )
    after = evolve(calendar, moved, calendar.calendar_id)
    return [moved, *waitlist.offer_freed(after, centre, booking.service_id, booking.starts_at, now)]
