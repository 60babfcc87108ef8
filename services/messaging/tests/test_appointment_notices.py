"""Issue 16: a client hears of their appointment — booked, moved, cancelled by the centre — in the
inbox and by e-mail, from appointments' public events on the real broker (once per event, a
redelivery changes nothing); the events and notices carry ids and times, never a name."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from messaging_support import envelope, eventually, new_id, send
from sqlalchemy import select

from messaging.domain.appointment_notices import appointment_notices
from messaging.domain.notices import Person
from messaging.readmodels.tables import notifications
from teilhabe_kit.testing import consumed

STARTS = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 10:00 in Berlin


def _booked(client_id: str, booking_id: str) -> dict:
    return {
        "centre_id": "centre-1",
        "counselor_id": "counselor-1",
        "booking_id": booking_id,
        "client_id": client_id,
        "service_id": "service-1",
        "channel": "video",
        "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(minutes=45)).isoformat(),
        "blocked_until": (STARTS + timedelta(minutes=60)).isoformat(),
        "booked_by": "client",
    }


def test_the_notices_say_when_in_berlin_time_and_link_the_appointment():
    [booked] = appointment_notices("SlotBooked", _booked("client-1", "b-1"))
    assert (booked.to, booked.kind, booked.link) == (
        Person("client-1"),
        "appointment_booked",
        "/mein-beratungskonto/termine/b-1",
    )
    assert "Montag, 07.12.2026 um 10:00 Uhr" in booked.body
    cancelled = {"booking_id": "b-1", "client_id": "client-1", "starts_at": STARTS.isoformat()}
    [by_client] = appointment_notices("BookingCancelled", cancelled | {"cancelled_by": "client"})
    [by_centre] = appointment_notices("BookingCancelled", cancelled | {"cancelled_by": "staff"})
    assert by_client.title == "Ihr Termin ist abgesagt" and by_centre.title == "Ihr Termin wurde abgesagt"
    assert "neuen Termin" in by_centre.body
    assert appointment_notices("GroupAppointmentScheduled", {"centre_id": "c"}) == []


def _three_mails(m, address: str) -> list | None:
    mails = [mail for mail in m.smtp.mails() if mail["To"] == address]
    return mails if len(mails) >= 3 else None


async def test_a_client_is_told_of_booking_move_and_cancel_by_inbox_and_mail(messaging, kafka_bootstrap):
    m = messaging
    client_id, booking_id = new_id("client"), new_id("booking")
    address = f"{client_id}@example.org"
    m.directory.add(client_id, email=address)
    stream = "centre-1:counselor-1"
    booked = envelope("SlotBooked", "calendar", stream, _booked(client_id, booking_id), version=1)
    later = STARTS + timedelta(days=1)
    moved = envelope(
        "BookingRescheduled",
        "calendar",
        stream,
        {
            "centre_id": "centre-1",
            "counselor_id": "counselor-1",
            "booking_id": booking_id,
            "client_id": client_id,
            "previous_starts_at": STARTS.isoformat(),
            "starts_at": later.isoformat(),
            "ends_at": (later + timedelta(minutes=45)).isoformat(),
            "blocked_until": (later + timedelta(minutes=60)).isoformat(),
            "rescheduled_by": "client",
        },
        version=2,
    )
    cancelled = envelope(
        "BookingCancelled",
        "calendar",
        stream,
        {
            "centre_id": "centre-1",
            "counselor_id": "counselor-1",
            "booking_id": booking_id,
            "client_id": client_id,
            "starts_at": later.isoformat(),
            "cancelled_by": "staff",
        },
        version=3,
    )
    await send(kafka_bootstrap, m.topics.appointments, booked, moved, cancelled, booked)  # the last: a redelivery
    mails = await eventually(lambda: asyncio.sleep(0, _three_mails(m, address)), timeout=30)
    by_subject = {mail["Subject"]: mail.get_content() for mail in mails}
    assert sorted(by_subject) == ["Ihr Termin ist gebucht", "Ihr Termin ist verschoben", "Ihr Termin wurde abgesagt"]
    assert f"/mein-beratungskonto/termine/{booking_id}" in by_subject["Ihr Termin ist gebucht"]
    assert "Dienstag, 08.12.2026 um 10:00 Uhr" in by_subject["Ihr Termin ist verschoben"]
    await consumed(kafka_bootstrap, m.settings.consumer_group, m.topics.appointments)
    async with m.engine.connect() as conn:
        kinds = (
            await conn.scalars(
                select(notifications.c.kind)
                .where(notifications.c.recipient_id == client_id)
                .order_by(notifications.c.seq)
            )
        ).all()
    assert kinds == ["appointment_booked", "appointment_moved", "appointment_cancelled"]  # the redelivery: nothing
