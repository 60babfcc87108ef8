"""What a client hears of their appointments (appointments' public events, issue 16): booked,
cancelled, moved — with the time in Berlin and a link to the appointment's page, where the calendar
file (.ics) and, for video, how to join are. The events carry ids and times only; so do the notices."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from messaging.domain.notices import Notice, Person, german_datetime

APPOINTMENT_EVENTS = frozenset({"SlotBooked", "BookingCancelled", "BookingRescheduled"})


def _when(value: str) -> str:
    return german_datetime(datetime.fromisoformat(value))


def appointment_notices(event_type: str, payload: dict[str, Any]) -> list[Notice]:
    """The client's notice of an appointment event (none for other events)."""
    if event_type not in APPOINTMENT_EVENTS:
        return []
    p = payload
    link = f"/mein-beratungskonto/termine/{p['booking_id']}"
    client = Person(p["client_id"])
    match event_type:
        case "SlotBooked":
            return [
                Notice(
                    client,
                    "appointment_booked",
                    "Ihr Termin ist gebucht",
                    f"Ihr Termin ist am {_when(p['starts_at'])}. Unter „Meine Termine“ finden Sie die "
                    "Kalender-Datei für Ihren Kalender. Dort können Sie den Termin auch verschieben oder absagen.",
                    link,
                )
            ]
        case "BookingRescheduled":
            return [
                Notice(
                    client,
                    "appointment_moved",
                    "Ihr Termin ist verschoben",
                    f"Ihr Termin ist jetzt am {_when(p['starts_at'])}. Vorher war er am "
                    f"{_when(p['previous_starts_at'])}.",
                    link,
                )
            ]
        case _:  # BookingCancelled
            by_centre = p.get("cancelled_by") == "staff"
            return [
                Notice(
                    client,
                    "appointment_cancelled",
                    "Ihr Termin wurde abgesagt" if by_centre else "Ihr Termin ist abgesagt",
                    (
                        f"Ihre Beratungsstelle hat Ihren Termin am {_when(p['starts_at'])} abgesagt. "
                        "Bitte buchen Sie einen neuen Termin."
                        if by_centre
                        else f"Sie haben Ihren Termin am {_when(p['starts_at'])} abgesagt."
                    ),
                    link,
                )
            ]
