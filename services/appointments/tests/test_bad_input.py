"""Bad input → 422 problem+json naming the field (German by default), nothing stored."""

from __future__ import annotations

import uuid

import pytest
from appointments_support import centre_with_counselor, next_monday, ok

from appointments.app.streams import CALENDAR, CENTRE
from appointments.domain.calendar import calendar_id
from teilhabe_kit import eventstore


@pytest.fixture(scope="module")
async def world(service, as_):
    import httpx

    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/appointments", timeout=60) as client:
        return await centre_with_counselor(client, as_)


async def _versions(service, world) -> tuple[int, int]:
    async with service.engine.connect() as conn:
        return (
            await eventstore.stream_version(conn, CENTRE.stream_type, world.centre_id),
            await eventstore.stream_version(
                conn, CALENDAR.stream_type, calendar_id(world.centre_id, world.counselor_id)
            ),
        )


def _cases(world):
    co = f"/centres/{world.centre_id}/counselors/{world.counselor_id}"
    monday = next_monday().isoformat()
    book = f"/centres/{world.centre_id}/bookings"
    chat = world.chat
    return [
        ("PUT", f"/centres/{world.centre_id}/settings", {"horizon_weeks": 12}, world.admin, "horizon_weeks"),
        ("PUT", f"/centres/{world.centre_id}/settings", {"region": "XX"}, world.admin, "region"),
        (
            "POST",
            f"/centres/{world.centre_id}/services",
            {"name": "X", "duration_minutes": 0, "channel": "chat"},
            world.admin,
            "duration_minutes",
        ),
        (
            "POST",
            f"/centres/{world.centre_id}/services",
            {"name": " ", "duration_minutes": 30, "channel": "chat"},
            world.admin,
            "name",
        ),
        (
            "POST",
            f"/centres/{world.centre_id}/services",
            {"name": "X", "duration_minutes": 30, "channel": "fax"},
            world.admin,
            "channel",
        ),
        (
            "PUT",
            co + "/booking-times",
            {"booking_times": [{"weekday": 1, "start": "10:00", "end": "09:00", "service_id": chat}]},
            world.counselor,
            "booking_times[0].end",
        ),
        (
            "PUT",
            co + "/booking-times",
            {"booking_times": [{"weekday": 7, "start": "09:00", "end": "10:00", "service_id": chat}]},
            world.counselor,
            "booking_times.0.weekday",
        ),
        (
            "PUT",
            co + "/booking-times",
            {"booking_times": [{"weekday": 1, "start": "09:00", "end": "10:00", "service_id": "nope"}]},
            world.counselor,
            "booking_times[0].service_id",
        ),
        (
            "PUT",
            co + "/booking-times",
            {
                "booking_times": [
                    {"weekday": 1, "start": "09:00", "end": "10:00", "service_id": chat},
                    {"weekday": 1, "start": "09:30", "end": "11:00", "service_id": chat},
                ]
            },
            world.counselor,
            "booking_times[1].start",
        ),
        (
            "POST",
            co + "/absences",
            {"first_day": monday, "last_day": "2020-01-01", "label": "Urlaub"},
            world.counselor,
            "last_day",
        ),
        ("POST", co + "/absences", {"first_day": monday, "last_day": monday, "label": ""}, world.counselor, "label"),
        (
            "POST",
            book,
            {
                "service_id": chat,
                "counselor_id": world.counselor_id,
                "starts_at": "2020-01-06T09:00:00+01:00",
                "client_id": "k",
            },
            world.counselor,
            "starts_at",
        ),
        (
            "POST",
            book,
            {
                "service_id": chat,
                "counselor_id": world.counselor_id,
                "starts_at": world.monday(9, weeks=10),
                "client_id": "k",
            },
            world.counselor,
            "starts_at",
        ),
        (
            "POST",
            book,
            {"service_id": chat, "counselor_id": world.counselor_id, "starts_at": world.monday(14), "client_id": "k"},
            world.counselor,
            "starts_at",
        ),
        (
            "POST",
            book,
            {
                "service_id": chat,
                "counselor_id": world.counselor_id,
                "starts_at": "2026-12-07T09:00:00",
                "client_id": "k",
            },
            world.counselor,
            "starts_at",
        ),
        (
            "POST",
            book,
            {"service_id": chat, "counselor_id": world.counselor_id, "starts_at": world.monday(9)},
            world.counselor,
            "client_id",
        ),
        (
            "POST",
            book,
            {"service_id": "nope", "counselor_id": world.counselor_id, "starts_at": world.monday(9), "client_id": "k"},
            world.counselor,
            "service_id",
        ),
        (
            "POST",
            co + "/groups",
            {
                "title": "G",
                "starts_at": world.monday(15),
                "ends_at": world.monday(14),
                "channel": "video",
                "max_participants": 5,
            },
            world.counselor,
            "ends_at",
        ),
        (
            "POST",
            co + "/groups",
            {
                "title": "G",
                "starts_at": world.monday(15),
                "ends_at": world.monday(16),
                "channel": "video",
                "max_participants": 0,
            },
            world.counselor,
            "max_participants",
        ),
    ]


async def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, service, world, as_):
    for method, path, body, headers, field in _cases(world):
        before = await _versions(service, world)
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 422, (path, body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        fields = [e.get("field") for e in problem.get("errors", [])] or [problem.get("field")]
        assert any(f and (f == field or f.endswith(field)) for f in fields), (field, problem)
        assert problem["title"] == "Ungültige Eingabe" or problem["status"] == 422
        assert await _versions(service, world) == before, (path, "bad input changed something")


async def test_english_problems_for_english_readers(client, world):
    response = await client.post(
        f"/centres/{world.centre_id}/bookings",
        json={
            "service_id": world.chat,
            "counselor_id": world.counselor_id,
            "starts_at": world.monday(9, weeks=10),
            "client_id": "k",
        },
        headers=world.counselor | {"Accept-Language": "en"},
    )
    assert response.status_code == 422 and "horizon" in response.json()["detail"]


async def test_a_waitlist_wish_in_the_past_is_refused(client, world, as_):
    klient = as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id)
    response = await client.post(
        f"/centres/{world.centre_id}/counselors/{world.counselor_id}/waitlist",
        json={"service_id": world.chat, "wanted_before": "2020-01-01T00:00:00+01:00"},
        headers=klient,
    )
    assert response.status_code == 422 and "wanted_before" in response.text
    assert (await ok(await client.get("/me", headers=klient)))["waitlist"] == []
