"""An appointment as iCalendar (RFC 5545): the confirmation's attachment and download.

No names: the summary says what kind of appointment it is; the place is the service's address for
on-site appointments."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event

from appointments.domain.values import CHANNEL_LABELS, Channel, CounselingService


def booking_ics(row: dict[str, Any], service: CounselingService | None, centre_name: str | None = None) -> bytes:
    channel = Channel(row["channel"]) if row["channel"] else None
    label = CHANNEL_LABELS[channel][0] if channel else "Termin"
    calendar = Calendar()
    calendar.add("prodid", "-//Teilhabe//Terminbuchung//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{row['booking_id']}@teilhabe")
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", row["starts_at"].astimezone(UTC))
    event.add("dtend", row["ends_at"].astimezone(UTC))
    event.add("summary", f"Beratungstermin ({label})" + (f" – {centre_name}" if centre_name else ""))
    if service is not None and service.description:
        event.add("description", service.description)
    if service is not None and channel == Channel.ON_SITE and service.address:
        event.add("location", service.address)
    event.add("status", "CANCELLED" if row["status"] != "booked" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
