"""The authorization matrix of counseling chats: members (the client and the counselor of the chat),
a colleague and another client of the same centre (403), staff and clients of another centre (404:
the chat is not revealed), a walk-in guest of another chat (404), other roles (403) and anonymous
callers (401). Every route of the counseling-chat API is in the matrix (checked against OpenAPI);
walk-in entry is the one public route (rate-limited, see test_counseling_chats)."""

from __future__ import annotations

import httpx
import pytest
from messaging_support import envelope, eventually, new_id, send
from sqlalchemy import select

from messaging.readmodels.tables import counseling_clients
from teilhabe_kit.auth import Role
from teilhabe_kit.testing import openapi_routes

API = "/api/v1/messaging"
PEOPLE = (
    "counselor_a",
    "client_a",
    "colleague_a",
    "client_a2",
    "counselor_b",
    "client_b",
    "guest_other",
    "seeker",
    "anonymous",
)
MEMBERS = {
    "counselor_a": 200,
    "client_a": 200,
    "colleague_a": 403,
    "client_a2": 403,
    "counselor_b": 404,
    "client_b": 404,
    "guest_other": 404,
    "seeker": 403,
    "anonymous": 401,
}
SIGNED_IN_MEMBERS = MEMBERS | {"guest_other": 401}
STAFF_OF_A = {
    "counselor_a": 200,
    "colleague_a": 200,
    "client_a": 403,
    "client_a2": 403,
    "counselor_b": 404,
    "client_b": 403,
    "guest_other": 401,
    "seeker": 403,
    "anonymous": 401,
}
CLIENTS = {
    "client_a": 200,
    "client_a2": 201,
    "client_b": 201,
    "counselor_a": 403,
    "colleague_a": 403,
    "counselor_b": 403,
    "guest_other": 401,
    "seeker": 403,
    "anonymous": 401,
}
ANY_PARTY = dict.fromkeys(("counselor_a", "client_a", "colleague_a", "client_a2", "counselor_b", "client_b"), 200) | {
    "guest_other": 401,
    "seeker": 403,
    "anonymous": 401,
}
ACCEPT = {p: s for p, s in STAFF_OF_A.items() if s >= 400}  # refusals only: the first success ends the waiting
CLAIM = {"counselor_a": 403, "client_b": 403, "seeker": 403, "anonymous": 401, "client_a": 200}  # all with the token


def _created(expected: dict[str, int]) -> dict[str, int]:
    return {p: 201 if s == 200 else s for p, s in expected.items()}


CHAT = "/counseling-chats/{chat}"
MATRIX = [
    ("POST", "/counseling-chats", None, CLIENTS),
    ("GET", "/counseling-chats", None, ANY_PARTY),
    ("GET", "/centres/{a}/chat-queue", None, STAFF_OF_A),
    ("GET", "/centres/{a}/chat-queue/events", None, STAFF_OF_A),
    ("POST", "/centres/{a}/counseling-chats", {"client_id": "{client_a2}"}, STAFF_OF_A),
    ("POST", "/centres/{a}/group-chats", {"title": "G", "client_ids": ["{client_a}"]}, _created(STAFF_OF_A)),
    ("POST", "/counseling-chats/{waiting}/accept", None, ACCEPT),
    ("GET", CHAT, None, MEMBERS),
    ("GET", CHAT + "/messages", None, MEMBERS),
    ("POST", CHAT + "/messages", {"text": "Hallo"}, _created(MEMBERS)),
    ("POST", CHAT + "/read", {"up_to_seq": 1}, MEMBERS),
    ("GET", CHAT + "/export.csv", None, SIGNED_IN_MEMBERS),
    ("POST", CHAT + "/video-call", {}, _created(MEMBERS)),
    ("GET", CHAT + "/video-call", None, MEMBERS),
    ("GET", CHAT + "/events", None, MEMBERS),
    ("POST", "/counseling-chats/{walk_in}/claim", None, CLAIM),
    ("POST", CHAT + "/end", None, MEMBERS),
]
PUBLIC = {("POST", "/centres/{centre_id}/walk-in-chats")}


@pytest.fixture
async def world(messaging, as_, kafka_bootstrap):
    m = messaging
    a, b = new_id("centre"), new_id("centre")
    ids = {p: new_id(p) for p in PEOPLE}
    headers = {
        "counselor_a": as_(ids["counselor_a"], Role.COUNSELOR, organisation_id=a),
        "colleague_a": as_(ids["colleague_a"], Role.COUNSELOR, organisation_id=a),
        "client_a": as_(ids["client_a"], Role.CLIENT, organisation_id=a),
        "client_a2": as_(ids["client_a2"], Role.CLIENT, organisation_id=a),
        "counselor_b": as_(ids["counselor_b"], Role.CENTRE_ADMIN, organisation_id=b),
        "client_b": as_(ids["client_b"], Role.CLIENT, organisation_id=b),
        "seeker": as_(ids["seeker"], Role.SEEKER),
        "anonymous": {},
    }
    for client in ("client_a", "client_a2"):
        await send(
            kafka_bootstrap, m.topics.counseling, envelope("ClientRegistered", "client", ids[client], {"centre_id": a})
        )

    async def known() -> bool:
        async with m.engine.connect() as conn:
            wanted = [ids["client_a"], ids["client_a2"]]
            found = select(counseling_clients.c.client_id).where(counseling_clients.c.client_id.in_(wanted))
            return len((await conn.execute(found)).all()) == 2

    await eventually(known)
    chat = (await m.client.post(f"{API}/counseling-chats", headers=headers["client_a"])).json()["id"]
    assert (await m.client.post(f"{API}/counseling-chats/{chat}/accept", headers=headers["counselor_a"])).is_success
    other = (await m.client.post(f"{API}/centres/{a}/walk-in-chats", headers={"X-Forwarded-For": new_id("ip")})).json()
    headers["guest_other"] = {"X-Walk-In-Token": other["token"]}
    walk_in = (
        await m.client.post(f"{API}/centres/{a}/walk-in-chats", headers={"X-Forwarded-For": new_id("ip")})
    ).json()
    values = {"a": a, "chat": chat, "waiting": other["id"], "walk_in": walk_in["id"]} | ids
    return {"headers": headers, "values": values, "walk_in_token": walk_in["token"]}


def _fill(template, values: dict):
    if isinstance(template, str):
        return template.format(**values)
    if isinstance(template, list):
        return [_fill(x, values) for x in template]
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    return template


async def _status(client: httpx.AsyncClient, method: str, path: str, headers: dict, body) -> int:
    if path.endswith("/events"):
        async with client.stream(method, path, headers=headers, timeout=httpx.Timeout(10, read=10)) as response:
            return response.status_code
    return (await client.request(method, path, headers=headers, json=body)).status_code


async def test_every_route_answers_each_caller_as_the_matrix_says(messaging, world):
    m = messaging
    wrong = []
    for method, template, body, expected in MATRIX:
        path, payload = API + _fill(template, world["values"]), _fill(body, world["values"])
        for person, status in expected.items():
            headers = dict(world["headers"][person])
            if template.endswith("/claim"):
                headers["X-Walk-In-Token"] = world["walk_in_token"]
            got = await _status(m.client, method, path, headers, payload)
            if got != status:
                wrong.append(f"{method} {template} as {person}: {got}, expected {status}")
    assert wrong == []


async def test_the_matrix_covers_every_counseling_chat_route(messaging):
    routes = await openapi_routes(str(messaging.client.base_url), "messaging")
    chat_routes = {
        (method.upper(), path)
        for path, methods in routes.items()
        for method in methods
        if "counseling-chats" in path or "chat-queue" in path or "group-chats" in path or "walk-in" in path
    }
    covered = {(method, template) for method, template, _, _ in MATRIX}
    normalise = {
        "{chat}": "{chat_id}",
        "{waiting}": "{chat_id}",
        "{walk_in}": "{chat_id}",
        "{a}": "{centre_id}",
    }
    named = set()
    for method, template in covered:
        for short, long in normalise.items():
            template = template.replace(short, long)
        named.add((method, template))
    assert chat_routes == named | PUBLIC
