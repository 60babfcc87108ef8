"""The authorization matrix over every endpoint: the centre's admin, the counselor whose calendar it
is, a colleague, staff of another centre, a client of the centre, a client of another centre, other
roles and anonymous callers. Refusals are 401, 403 (the caller's own centre, wrong role) or 404
(existence not revealed), and a refusal changes nothing (the calendar's stream version stays)."""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import datetime, time, timedelta

import httpx
import pytest
from appointments_support import World, centre_with_counselor, next_monday, ok

from appointments.app.streams import CALENDAR
from appointments.domain.calendar import calendar_id
from teilhabe_kit import eventstore
from teilhabe_kit.localtime import BERLIN
from teilhabe_kit.testing import openapi_routes

PEOPLE = [
    "admin_a",
    "counselor_a",
    "colleague_a",
    "admin_b",
    "counselor_b",
    "client_a",
    "client_b",
    "seeker",
    "anonymous",
]
STAFF_A = ("admin_a", "counselor_a", "colleague_a")
STRANGERS = {"admin_b": 404, "counselor_b": 404, "client_a": 404, "client_b": 404, "seeker": 404, "anonymous": 401}
STAFF_READ = dict.fromkeys(STAFF_A, 200) | STRANGERS
ADMIN = {"admin_a": 200, "counselor_a": 403, "colleague_a": 403} | STRANGERS
OWNER = {"admin_a": 200, "counselor_a": 200, "colleague_a": 403} | STRANGERS
PUBLIC = dict.fromkeys(PEOPLE, 200)
CLIENT_ONLY = {"client_a": 201, "client_b": 404, "anonymous": 401} | {
    p: 403 for p in (*STAFF_A, "admin_b", "counselor_b", "seeker")
}
BOOK = CLIENT_ONLY | dict.fromkeys(STAFF_A, 201)
OWN_BOOKING = (
    dict.fromkeys(STAFF_A, 200)
    | {"client_a": 200}
    | {p: 404 for p in ("admin_b", "counselor_b", "client_b", "seeker")}
    | {"anonymous": 401}
)
OWN_FEED = {"admin_a": 403, "counselor_a": 200, "colleague_a": 403} | STRANGERS
"""The calendar address is a credential: the counselor themselves only, not even the admins."""
ME = {"client_a": 200, "client_b": 200, "anonymous": 401} | {
    p: 403 for p in (*STAFF_A, "admin_b", "counselor_b", "seeker")
}


def _status(expected: dict[str, int], ok_status: int) -> dict[str, int]:
    return {p: (ok_status if s < 300 else s) for p, s in expected.items()}


CO = "/centres/{a}/counselors/{co}"
MATRIX = [
    ("GET", "/centres/{a}/settings", None, STAFF_READ),
    ("PUT", "/centres/{a}/settings", {"horizon_weeks": 8, "lead_minutes": 0}, ADMIN),
    ("GET", "/centres/{a}/services", None, STAFF_READ),
    ("POST", "/centres/{a}/services", {"name": "Neu", "duration_minutes": 30, "channel": "phone"}, _status(ADMIN, 201)),
    ("PUT", "/centres/{a}/services/{chat}", {"name": "Chat", "duration_minutes": 30, "channel": "chat"}, ADMIN),
    ("DELETE", "/centres/{a}/services/{spare}", None, _status(ADMIN, 204)),
    ("GET", CO, None, STAFF_READ),
    ("PUT", CO + "/profile", {"display_name": "Frau Demir"}, OWNER),
    ("PUT", CO + "/booking-times", {"booking_times": "{times}"}, OWNER),
    ("POST", CO + "/absences", {"first_day": "{far}", "last_day": "{far}", "label": "Urlaub"}, _status(OWNER, 201)),
    ("DELETE", CO + "/absences/{absence}", None, _status(OWNER, 204)),
    ("GET", "/centres/{a}/calendar?show=all", None, STAFF_READ),
    ("POST", CO + "/feed", None, _status(OWN_FEED, 201)),
    ("GET", CO + "/feed", None, OWN_FEED),
    ("DELETE", CO + "/feed{feed_made}", None, _status(OWN_FEED, 204)),
    ("GET", "/feeds/{feed_token}.ics", None, PUBLIC),
    ("GET", "/centres/{a}/offer/services", None, PUBLIC),
    ("GET", "/centres/{a}/offer/counselors", None, PUBLIC),
    ("GET", "/centres/{a}/offer/slots", None, PUBLIC),
    ("GET", "/centres/{a}/offer/groups", None, PUBLIC),
    (
        "POST",
        "/centres/{a}/holds",
        {"service_id": "{chat}", "counselor_id": "{co}", "starts_at": "{slot}"},
        CLIENT_ONLY,
    ),
    (
        "POST",
        "/centres/{a}/bookings",
        {"service_id": "{chat}", "counselor_id": "{co}", "starts_at": "{slot}", "client_id": "{client_a_id}"},
        BOOK,
    ),
    ("GET", "/bookings/{booking}", None, OWN_BOOKING),
    ("GET", "/bookings/{booking}/appointment.ics", None, OWN_BOOKING),
    ("POST", "/bookings/{booking}/cancel", None, _status(OWN_BOOKING, 204)),
    ("POST", "/bookings/{booking}/reschedule", {"starts_at": "{slot}"}, OWN_BOOKING),
    ("GET", "/me", None, ME),
    ("POST", CO + "/groups", "{group_body}", _status(OWNER, 201)),
    ("GET", "/groups/{group}", None, OWN_BOOKING),
    ("PUT", "/groups/{group}", "{group_body}", OWNER),
    ("POST", "/groups/{group}/cancel", None, _status(OWNER, 204)),
    ("POST", "/groups/{group}/participants", {"client_id": "{client_a_id}"}, _status(OWN_BOOKING, 201)),
    ("DELETE", "/groups/{joined_group}/participants/{client_a_id}", None, _status(OWN_BOOKING, 204)),
    ("POST", CO + "/waitlist", {"service_id": "{chat}", "wanted_before": "{far_moment}"}, CLIENT_ONLY),
    (
        "DELETE",
        "/waitlist/{entry}",
        None,
        {"client_a": 204, "anonymous": 401}
        | {p: 404 for p in (*STAFF_A, "admin_b", "counselor_b", "client_b", "seeker")},
    ),
]


class Fresh:
    """Fresh things for each call: a free slot, a booking, a group appointment, a waitlist entry."""

    def __init__(self, client: httpx.AsyncClient, world: World, headers: dict, client_a_id: str) -> None:
        self.client, self.world, self.headers, self.client_a_id = client, world, headers, client_a_id
        days = [next_monday(weeks=w) + timedelta(days=d) for w, d in itertools.product(range(2, 9), range(5))]
        times = [time(h, m) for h in (9, 10, 11) for m in (0, 30)]
        self._slots = iter(datetime.combine(d, t, BERLIN).isoformat() for d, t in itertools.product(days, times))
        self._groups = itertools.count()

    def slot(self) -> str:
        return next(self._slots)

    def group_body(self) -> dict:
        n = next(self._groups)
        day = next_monday() + timedelta(days=1 + n // 6)
        start = datetime.combine(day, time(13 + n % 6), BERLIN)
        return {
            "title": "Elterngruppe",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=45)).isoformat(),
            "channel": "video",
            "max_participants": 10,
            "bookable_by_clients": True,
        }

    async def booking(self) -> str:
        body = {
            "service_id": self.world.chat,
            "counselor_id": self.world.counselor_id,
            "starts_at": self.slot(),
            "client_id": self.client_a_id,
        }
        made = await ok(
            await self.client.post(
                f"/centres/{self.world.centre_id}/bookings", json=body, headers=self.headers["admin_a"]
            ),
            201,
        )
        return made["booking_id"]

    async def group(self) -> str:
        path = f"/centres/{self.world.centre_id}/counselors/{self.world.counselor_id}/groups"
        return (await ok(await self.client.post(path, json=self.group_body(), headers=self.headers["admin_a"]), 201))[
            "id"
        ]

    async def joined_group(self) -> str:
        group_id = await self.group()
        await ok(
            await self.client.post(f"/groups/{group_id}/participants", json={}, headers=self.headers["client_a"]), 201
        )
        return group_id

    async def entry(self) -> str:
        path = f"/centres/{self.world.centre_id}/counselors/{self.world.counselor_id}/waitlist"
        body = {"service_id": self.world.chat, "wanted_before": self.far_moment()}
        mine = await ok(await self.client.get("/me", headers=self.headers["client_a"]))
        for waiting in mine["waitlist"]:  # one entry per client and service
            await ok(
                await self.client.delete(f"/waitlist/{waiting['entry_id']}", headers=self.headers["client_a"]), 204
            )
        return (await ok(await self.client.post(path, json=body, headers=self.headers["client_a"]), 201))["id"]

    async def absence(self) -> str:
        path = f"/centres/{self.world.centre_id}/counselors/{self.world.counselor_id}/absences"
        body = {"first_day": self.far(), "last_day": self.far(), "label": "Urlaub"}
        return (await ok(await self.client.post(path, json=body, headers=self.headers["admin_a"]), 201))["absence_id"]

    async def feed_token(self) -> str:
        """A new calendar address of the counselor: its secret token."""
        path = f"/centres/{self.world.centre_id}/counselors/{self.world.counselor_id}/feed"
        made = await ok(await self.client.post(path, headers=self.headers["counselor_a"]), 201)
        return made["url"].rsplit("/", 1)[1].removesuffix(".ics")

    async def feed_made(self) -> str:
        """A calendar address exists (to revoke); nothing to put in the path."""
        await self.feed_token()
        return ""

    def far(self) -> str:
        return (next_monday(weeks=6) + timedelta(days=2)).isoformat()

    def far_moment(self) -> str:
        return datetime.combine(next_monday(weeks=7), time(9), BERLIN).isoformat()


def weekdays(world: World) -> list[dict]:
    """Chat 9–12 on every working day (plenty of slots for fresh bookings)."""
    return [{"weekday": d, "start": "09:00", "end": "12:00", "service_id": world.chat} for d in range(5)]


@pytest.fixture(scope="module")
async def world(service, as_):
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/appointments", timeout=60) as client:
        a = await centre_with_counselor(client, as_)
        path = f"/centres/{a.centre_id}/counselors/{a.counselor_id}/booking-times"
        await ok(await client.put(path, json={"booking_times": weekdays(a)}, headers=a.counselor))
        b = await centre_with_counselor(client, as_)
        spare = await ok(
            await client.post(
                f"/centres/{a.centre_id}/services",
                json={"name": "Telefon", "duration_minutes": 20, "channel": "phone"},
                headers=a.admin,
            ),
            201,
        )
    client_a_id = f"client-{uuid.uuid4()}"
    headers = {
        "admin_a": a.admin,
        "counselor_a": a.counselor,
        "colleague_a": as_(f"colleague-{uuid.uuid4()}", "counselor", organisation_id=a.centre_id),
        "admin_b": b.admin,
        "counselor_b": b.counselor,
        "client_a": as_(client_a_id, "client", organisation_id=a.centre_id),
        "client_b": as_(f"client-{uuid.uuid4()}", "client", organisation_id=b.centre_id),
        "seeker": as_(f"seeker-{uuid.uuid4()}", "seeker"),
        "anonymous": {},
    }
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/appointments", timeout=60) as client:
        yield a, spare["service_id"], client_a_id, headers, Fresh(client, a, headers, client_a_id)


async def _fill(value, fresh: Fresh, fixed: dict):
    if isinstance(value, str):
        for name in ("slot", "group_body"):
            if value == "{" + name + "}":
                return getattr(fresh, name)()
        for name in ("booking", "group", "joined_group", "entry", "absence", "feed_made", "feed_token"):
            if "{" + name + "}" in value:
                value = value.replace("{" + name + "}", await getattr(fresh, name)())
        for name, replacement in fixed.items():
            if value == "{" + name + "}" and not isinstance(replacement, str):
                return replacement
            if isinstance(replacement, str):
                value = value.replace("{" + name + "}", replacement)
        return value
    if isinstance(value, dict):
        return {k: await _fill(v, fresh, fixed) for k, v in value.items()}
    return value


@pytest.mark.parametrize("method,path,body,expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
async def test_every_endpoint_checks_who_calls(client, service, world, method, path, body, expected):
    a, spare, client_a_id, headers, fresh = world
    times = weekdays(a)
    fixed = {
        "a": a.centre_id,
        "co": a.counselor_id,
        "chat": a.chat,
        "spare": spare,
        "client_a_id": client_a_id,
        "times": times,
        "far": fresh.far(),
        "far_moment": fresh.far_moment(),
    }
    url, payload = await _fill(path, fresh, fixed), await _fill(body, fresh, fixed)
    for person in sorted(PEOPLE, key=lambda p: expected[p] < 300):  # refusals first, then the allowed
        async with service.engine.connect() as conn:
            before = await eventstore.stream_version(
                conn, CALENDAR.stream_type, calendar_id(a.centre_id, a.counselor_id)
            )
        response = await client.request(method, url, json=payload, headers=headers[person])
        assert response.status_code == expected[person], (person, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
            async with service.engine.connect() as conn:
                after = await eventstore.stream_version(
                    conn, CALENDAR.stream_type, calendar_id(a.centre_id, a.counselor_id)
                )
            assert after == before, (person, "a refusal changed the calendar")
        elif method != "GET":  # what the call used up (a cancelled booking, a removed absence) is made anew
            url, payload = await _fill(path, fresh, fixed), await _fill(body, fresh, fixed)


async def test_the_matrix_covers_every_published_route(service):
    routes = await openapi_routes(service.url, "appointments")
    assert "/centres/{centre_id}/offer/slots" in routes and "/bookings/{booking_id}/appointment.ics" in routes
    covered = {
        (re.sub(r"\{[a-z_]+\}", "{}", path.split("?")[0].replace("{feed_made}", "")), method.lower())
        for method, path, _, _ in MATRIX
    }
    published = {(re.sub(r"\{[a-z_]+\}", "{}", path), method) for path, methods in routes.items() for method in methods}
    assert published == covered
