"""The booking flow over HTTP on the real stack: the seed's Monday, hold and confirm, the .ics,
cancel and reschedule, and the public events on Kafka."""

from __future__ import annotations

import json
import uuid

from appointments_support import centre_with_counselor, monday_slots, ok, same
from icalendar import Calendar

from teilhabe_events import topic_for
from teilhabe_kit.testing import envelopes_on


async def _events_of(bootstrap: str, booking_id: str, count: int) -> list[dict]:
    """The public calendar events that name `booking_id` (at least `count` of them), as JSON."""
    found = await envelopes_on(
        bootstrap,
        topic_for("appointments", "calendar"),
        count=count,
        where=lambda e: e.payload.get("booking_id") == booking_id,
    )
    return [e.model_dump(mode="json") for e in found]


async def test_the_seeds_monday_booking_on_site_at_10_removes_the_chat_slot_at_10(client, as_, service):
    world = await centre_with_counselor(client, as_)
    before = await monday_slots(client, world)
    assert len(before) == 8
    assert sorted(t for s, t in before if s == "site") == ["10:00", "10:30"]
    assert len([t for s, t in before if s == "chat" and ("site", t) in before]) == 2  # 4 slots shown in parallel

    klient_id = f"client-{uuid.uuid4()}"
    klient = as_(klient_id, "client", organisation_id=world.centre_id)
    held = await ok(
        await client.post(
            f"/centres/{world.centre_id}/holds",
            json={"service_id": world.on_site, "counselor_id": None, "starts_at": world.monday(10)},
            headers=klient,
        ),
        201,
    )
    assert held["counselor_id"] == world.counselor_id
    hidden = await monday_slots(client, world)
    assert ("site", "10:00") not in hidden and ("chat", "10:00") not in hidden  # reserved: hidden from others
    other = as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id)
    taken = await client.post(
        f"/centres/{world.centre_id}/bookings",
        json={"service_id": world.chat, "counselor_id": world.counselor_id, "starts_at": world.monday(10)},
        headers=other,
    )
    assert taken.status_code == 409 and "nicht mehr frei" in taken.json()["detail"]

    booked = await ok(
        await client.post(
            f"/centres/{world.centre_id}/bookings",
            json={"hold_id": held["hold_id"], "counselor_id": held["counselor_id"]},
            headers=klient,
        ),
        201,
    )
    after = await monday_slots(client, world)
    assert ("chat", "10:00") not in after and ("site", "10:00") not in after
    assert ("chat", "10:30") in after and ("site", "10:30") in after and len(after) == 6

    ics = await client.get(booked["ics_url"].removeprefix("/api/v1/appointments"), headers=klient)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert same(event.decoded("dtstart").isoformat(), world.monday(10))
    assert "Göttingen" in str(event.get("location")) and "Vor Ort" in str(event.get("summary"))

    mine = await ok(await client.get("/me", headers=klient))
    assert [b["booking_id"] for b in mine["bookings"]] == [booked["booking_id"]]
    assert (await client.get(f"/bookings/{booked['booking_id']}", headers=other)).status_code == 404

    events = await _events_of(service.bootstrap, booked["booking_id"], 1)
    assert events[0]["event_type"] == "SlotBooked"
    assert events[0]["payload"]["client_id"] == klient_id
    assert "Frau Demir" not in json.dumps(events) and "Göttingen" not in json.dumps(events)


async def test_a_client_reschedules_and_cancels_until_the_notice_period(client, as_, service):
    world = await centre_with_counselor(client, as_, notice_hours=24)
    klient = as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id)
    booked = await ok(
        await client.post(
            f"/centres/{world.centre_id}/bookings",
            json={"service_id": world.chat, "counselor_id": world.counselor_id, "starts_at": world.monday(9)},
            headers=klient,
        ),
        201,
    )
    booking_id = booked["booking_id"]
    moved = await ok(
        await client.post(f"/bookings/{booking_id}/reschedule", json={"starts_at": world.monday(11)}, headers=klient)
    )
    assert same(moved["starts_at"], world.monday(11))
    slots = await monday_slots(client, world)
    assert ("chat", "09:00") in slots and ("chat", "11:00") not in slots
    stranger = as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id)
    assert (await client.post(f"/bookings/{booking_id}/cancel", headers=stranger)).status_code == 404
    assert (await client.post(f"/bookings/{booking_id}/cancel", headers=klient)).status_code == 204
    assert ("chat", "11:00") in await monday_slots(client, world)
    again = await client.post(f"/bookings/{booking_id}/cancel", headers=klient)
    assert again.status_code == 409
    events = await _events_of(service.bootstrap, booking_id, 3)
    assert [e["event_type"] for e in events] == ["SlotBooked", "BookingRescheduled", "BookingCancelled"]


async def test_late_cancellation_by_the_client_is_refused_but_staff_may(client, as_):
    world = await centre_with_counselor(client, as_, notice_hours=24 * 14)
    klient = as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id)
    booked = await ok(
        await client.post(
            f"/centres/{world.centre_id}/bookings",
            json={"service_id": world.chat, "counselor_id": world.counselor_id, "starts_at": world.monday(9)},
            headers=klient,
        ),
        201,
    )
    late = await client.post(f"/bookings/{booked['booking_id']}/cancel", headers=klient)
    assert late.status_code == 409 and "Stunden vor dem Termin" in late.json()["detail"]
    assert (await client.post(f"/bookings/{booked['booking_id']}/cancel", headers=world.counselor)).status_code == 204


async def test_staff_book_for_a_client_and_see_it_in_the_calendar_with_holidays_and_absences(client, as_):
    world = await centre_with_counselor(client, as_, region="NI")
    klient_id = f"client-{uuid.uuid4()}"
    booked = await ok(
        await client.post(
            f"/centres/{world.centre_id}/bookings",
            json={"service_id": world.chat, "counselor_id": None, "starts_at": world.monday(9), "client_id": klient_id},
            headers=world.counselor,
        ),
        201,
    )
    monday = world.monday(0)[:10]
    absence = await ok(
        await client.post(
            f"/centres/{world.centre_id}/counselors/{world.counselor_id}/absences",
            json={"first_day": monday, "last_day": monday, "label": "Fortbildung"},
            headers=world.counselor,
        ),
        201,
    )
    assert [b["booking_id"] for b in absence["bookings_to_move"]] == [booked["booking_id"]]
    assert await monday_slots(client, world) == []
    calendar = await ok(
        await client.get(
            f"/centres/{world.centre_id}/calendar", params={"from": monday, "show": "all"}, headers=world.admin
        )
    )
    assert [b["client_id"] for b in calendar["bookings"]] == [klient_id]
    assert {"day": monday, "kind": "absence", "label": "Fortbildung", "counselor_id": world.counselor_id} in calendar[
        "days_off"
    ]
    removed = await client.delete(
        f"/centres/{world.centre_id}/counselors/{world.counselor_id}/absences/{absence['absence_id']}",
        headers=world.counselor,
    )
    assert removed.status_code == 204 and len(await monday_slots(client, world)) == 7  # 8 minus the booked one
