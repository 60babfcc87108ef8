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


def feed_ics(
    bookings: list[dict[str, Any]], groups: list[dict[str, Any]], services: dict[str, CounselingService]
) -> bytes:
    """A counselor's private feed: their appointments and group appointments — what kind, when,
    where; never who (no client ids or names)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Teilhabe//Beratungskalender//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Beratungstermine")
    stamp = datetime.now(UTC)
    for row in bookings:
        service = services.get(row["service_id"])
        label = CHANNEL_LABELS[Channel(row["channel"])][0] if row["channel"] else "Termin"
        minutes = int((row["ends_at"] - row["starts_at"]).total_seconds() // 60)
        event = Event()
        event.add("uid", f"{row['booking_id']}@teilhabe")
        event.add("dtstamp", stamp)
        event.add("dtstart", row["starts_at"].astimezone(UTC))
        event.add("dtend", row["ends_at"].astimezone(UTC))
        event.add("summary", f"Beratung: {label} ({minutes} Min.)")
        if service is not None and row["channel"] == Channel.ON_SITE and service.address:
            event.add("location", service.address)
        calendar.add_component(event)
    for row in groups:
        event = Event()
        event.add("uid", f"{row['group_appointment_id']}@teilhabe")
        event.add("dtstamp", stamp)
        event.add("dtstart", row["starts_at"].astimezone(UTC))
        event.add("dtend", row["ends_at"].astimezone(UTC))
        event.add("summary", f"Gruppentermin: {row['title']}")
        calendar.add_component(event)
    return calendar.to_ical()
