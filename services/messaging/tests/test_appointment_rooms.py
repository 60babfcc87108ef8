"""Issue 16: the video room of a counseling appointment with channel video — learned from
appointments' SlotBooked on the real broker; the client gets the guest link, the counselor (the
moderator) also the moderator and seminar links, one room for both; everybody else 404 (401 without
sign-in); a cancelled appointment, or one not by video, has no room."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from messaging_support import envelope, eventually, new_id, send

from teilhabe_kit.auth import Role
from teilhabe_kit.testing import bearer


def _booked(centre: str, counselor: str, client: str, booking: str, channel: str = "video") -> dict:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return {
        "centre_id": centre,
        "counselor_id": counselor,
        "booking_id": booking,
        "client_id": client,
        "service_id": "service-1",
        "channel": channel,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(minutes=45)).isoformat(),
        "blocked_until": (starts + timedelta(minutes=60)).isoformat(),
        "booked_by": "client",
    }


async def test_client_and_counselor_share_the_appointments_room_and_nobody_else_enters(
    messaging, kafka_bootstrap, token_issuer
):
    m = messaging
    centre, counselor, client, booking = new_id("centre"), new_id("counselor"), new_id("client"), new_id("booking")
    phone_booking = new_id("booking")
    stream = f"{centre}:{counselor}"
    await send(
        kafka_bootstrap,
        m.topics.appointments,
        envelope("SlotBooked", "calendar", stream, _booked(centre, counselor, client, booking), version=1),
        envelope("SlotBooked", "calendar", stream, _booked(centre, counselor, client, phone_booking, "phone"), 2),
    )
    path = f"/api/v1/messaging/appointments/{booking}/video-room"
    as_client = bearer(token_issuer, client, Role.CLIENT, organisation_id=centre)
    as_counselor = bearer(token_issuer, counselor, Role.COUNSELOR, organisation_id=centre)

    async def opened():
        response = await m.client.get(path, headers=as_client)
        return response.json() if response.status_code == 200 else None

    guest = await eventually(opened)
    assert guest["guest_url"].startswith("https://video.example.org/") and "moderator_url" not in guest
    moderator = (await m.client.get(path, headers=as_counselor)).json()
    assert moderator["id"] == guest["id"] and moderator["moderator_id"] == counselor  # one room, the counselor leads
    assert moderator["moderator_url"] and moderator["seminar_url"]
    colleague = bearer(token_issuer, new_id("colleague"), Role.CENTRE_ADMIN, organisation_id=centre)
    assert "moderator_url" not in (await m.client.get(path, headers=colleague)).json()

    refused = {
        "another client": bearer(token_issuer, new_id("client"), Role.CLIENT, organisation_id=centre),
        "another centre's counselor": bearer(token_issuer, counselor, Role.COUNSELOR, organisation_id=new_id("c")),
        "a seeker": bearer(token_issuer, new_id("seeker"), Role.SEEKER),
    }
    for who, headers in refused.items():
        response = await m.client.get(path, headers=headers)
        assert response.status_code == 404, who
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await m.client.get(path)).status_code == 401
    phone_room = await m.client.get(f"/api/v1/messaging/appointments/{phone_booking}/video-room", headers=as_client)
    assert phone_room.status_code == 404  # not a video appointment

    cancelled = {
        "centre_id": centre,
        "counselor_id": counselor,
        "booking_id": booking,
        "client_id": client,
        "starts_at": _booked(centre, counselor, client, booking)["starts_at"],
        "cancelled_by": "client",
    }
    await send(kafka_bootstrap, m.topics.appointments, envelope("BookingCancelled", "calendar", stream, cancelled, 3))

    async def closed():
        return (await m.client.get(path, headers=as_client)).status_code == 404

    assert await eventually(closed)
