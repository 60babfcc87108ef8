"""Counseling chats on the real stack: a client's request waits in the centre's queue, exactly one
counselor accepts, messages arrive live over SSE, sealed per chat and shredded with the client;
anonymous walk-in chats with queue place, credential, rate limit and claim; group chats; video."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from messaging_support import SseClient, envelope, eventually, new_id, send
from sqlalchemy import select, text, update

from messaging.app import walk_in as walk_in_app
from messaging.readmodels.tables import chat_members, chat_messages, chats, counseling_clients
from teilhabe_kit.auth import Role
from teilhabe_kit.tables import outbox

API = "/api/v1/messaging"
SECRET = "Meine Schulden wachsen mir über den Kopf"


def chat_events(m, headers: dict, chat_id: str) -> SseClient:
    return SseClient(m.client, headers, path=f"{API}/counseling-chats/{chat_id}/events", kinds=("message", "state"))


async def next_of(sse: SseClient, kind: str, **where) -> dict:
    """The next event of `kind` whose fields match `where` (others are skipped)."""
    while True:
        event = await sse.next()
        if event["event"] == kind and all(event.get(k) == v for k, v in where.items()):
            return event


async def registered(m, bootstrap: str, centre: str, *clients: str) -> None:
    """Counseling's `ClientRegistered` for `clients`, learned by messaging."""
    for client in clients:
        await send(
            bootstrap, m.topics.counseling, envelope("ClientRegistered", "client", client, {"centre_id": centre})
        )

    async def known() -> bool:
        async with m.engine.connect() as conn:
            rows = await conn.execute(
                select(counseling_clients.c.client_id).where(counseling_clients.c.client_id.in_(clients))
            )
            return len(rows.all()) == len(clients)

    await eventually(known)


@pytest.fixture
def centre(as_):
    """A fresh centre with a client and two counselors (tokens: organisation = the centre)."""
    c = new_id("centre")
    client, counselor, colleague = new_id("client"), new_id("counselor"), new_id("counselor")
    return {
        "id": c,
        "client": client,
        "counselor": counselor,
        "colleague": colleague,
        "client_h": as_(client, Role.CLIENT, organisation_id=c),
        "counselor_h": as_(counselor, Role.COUNSELOR, organisation_id=c),
        "colleague_h": as_(colleague, Role.COUNSELOR, organisation_id=c),
    }


async def walk_in(m, centre_id: str, address: str | None = None) -> dict:
    headers = {"X-Forwarded-For": address or new_id("address")}
    response = await m.client.post(f"{API}/centres/{centre_id}/walk-in-chats", headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def guest_h(started: dict) -> dict:
    return {"X-Walk-In-Token": started["token"]}


async def test_client_request_waits_is_accepted_and_messages_arrive_live_sealed(messaging, centre):
    m, c = messaging, centre
    first = await m.client.post(f"{API}/counseling-chats", headers=c["client_h"])
    assert first.status_code == 201
    chat_id = first.json()["id"]
    again = await m.client.post(f"{API}/counseling-chats", headers=c["client_h"])
    assert (again.status_code, again.json()["id"]) == (200, chat_id)

    queue = (await m.client.get(f"{API}/centres/{c['id']}/chat-queue", headers=c["counselor_h"])).json()["items"]
    assert [(q["id"], q["kind"], q["position"], q["client_id"]) for q in queue] == [(chat_id, "client", 1, c["client"])]

    async with chat_events(m, c["client_h"], chat_id) as client_sse:
        assert (await next_of(client_sse, "state"))["state"] == "waiting"
        accepted = await m.client.post(f"{API}/counseling-chats/{chat_id}/accept", headers=c["counselor_h"])
        assert accepted.status_code == 200, accepted.text
        assert (await next_of(client_sse, "state"))["state"] == "active"
        posted = await m.client.post(
            f"{API}/counseling-chats/{chat_id}/messages", headers=c["counselor_h"], json={"text": "Guten Tag!"}
        )
        assert posted.status_code == 201
        live = await next_of(client_sse, "message")
        assert (live["text"], live["author_role"], live["mine"]) == ("Guten Tag!", "counselor", False)

    sent = await m.client.post(
        f"{API}/counseling-chats/{chat_id}/messages", headers=c["client_h"], json={"text": SECRET}
    )
    assert sent.status_code == 201
    listed = (await m.client.get(f"{API}/counseling-chats/{chat_id}/messages", headers=c["counselor_h"])).json()
    assert [(x["seq"], x["text"]) for x in listed["messages"]] == [(1, "Guten Tag!"), (2, SECRET)]
    assert (await m.client.get(f"{API}/centres/{c['id']}/chat-queue", headers=c["counselor_h"])).json()["items"] == []
    mine = (await m.client.get(f"{API}/counseling-chats", headers=c["counselor_h"])).json()["items"]
    assert [x["id"] for x in mine] == [chat_id]

    csv_text = (await m.client.get(f"{API}/counseling-chats/{chat_id}/export.csv", headers=c["counselor_h"])).text
    assert SECRET in csv_text and "Beratung" in csv_text

    async with m.engine.connect() as conn:
        stored = (await conn.execute(select(chat_messages.c.text).where(chat_messages.c.chat_id == chat_id))).scalars()
        assert all(value.startswith("sealed:v1:") for value in stored)
        in_events = await conn.scalar(
            text("SELECT count(*) FROM event_store WHERE stream_id = :id AND payload::text LIKE :secret"),
            {"id": chat_id, "secret": "%Schulden%"},
        )
        on_kafka = (await conn.execute(select(outbox.c.value).where(outbox.c.key == chat_id))).scalars().all()
    assert in_events == 0
    assert on_kafka and not any(b"Schulden" in value for value in on_kafka)

    ended = await m.client.post(f"{API}/counseling-chats/{chat_id}/end", headers=c["client_h"])
    assert ended.json()["state"] == "ended"
    late = await m.client.post(
        f"{API}/counseling-chats/{chat_id}/messages", headers=c["counselor_h"], json={"text": "x"}
    )
    assert late.status_code == 409


async def test_exactly_one_of_many_counselors_accepts_a_waiting_chat(messaging, as_):
    m = messaging
    centre = new_id("centre")
    started = await walk_in(m, centre)
    counselors = [new_id("counselor") for _ in range(6)]
    answers = await asyncio.gather(
        *(
            m.client.post(
                f"{API}/counseling-chats/{started['id']}/accept", headers=as_(c, Role.COUNSELOR, organisation_id=centre)
            )
            for c in counselors
        )
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 5
    winner = next(a.json()["accepted_by"] for a in answers if a.status_code == 200)
    async with m.engine.connect() as conn:
        staff = (
            await conn.execute(
                select(chat_members.c.person_id).where(
                    chat_members.c.chat_id == started["id"], chat_members.c.role == "counselor"
                )
            )
        ).scalars()
        assert list(staff) == [winner]
        assert await conn.scalar(select(chats.c.accepted_by).where(chats.c.id == started["id"])) == winner


async def test_walk_in_guest_sees_their_place_chats_and_takes_the_chat_into_an_account(messaging, centre):
    m, c = messaging, centre
    before, guest = await walk_in(m, c["id"]), await walk_in(m, c["id"])
    assert guest["guest_name"].startswith("Gast ") and len(guest["token"]) >= 40
    view = (await m.client.get(f"{API}/counseling-chats/{guest['id']}", headers=guest_h(guest))).json()
    assert (view["state"], view["position"], view["my_role"]) == ("waiting", 2, "guest")

    wrote = await m.client.post(
        f"{API}/counseling-chats/{guest['id']}/messages", headers=guest_h(guest), json={"text": "Ich brauche Hilfe."}
    )
    assert wrote.status_code == 201
    async with chat_events(m, guest_h(guest), guest["id"]) as sse:
        assert (await next_of(sse, "state"))["position"] == 2
        assert (
            await m.client.post(f"{API}/counseling-chats/{before['id']}/accept", headers=c["colleague_h"])
        ).status_code == 200
        assert (await next_of(sse, "state", state="waiting"))["position"] == 1
        assert (
            await m.client.post(f"{API}/counseling-chats/{guest['id']}/accept", headers=c["counselor_h"])
        ).status_code == 200
        assert (await next_of(sse, "state"))["state"] == "active"
        await m.client.post(
            f"{API}/counseling-chats/{guest['id']}/messages", headers=c["counselor_h"], json={"text": "Ich bin da."}
        )
        assert (await next_of(sse, "message"))["text"] == "Ich bin da."

    queue = (await m.client.get(f"{API}/centres/{c['id']}/chat-queue", headers=c["counselor_h"])).json()["items"]
    assert queue == []
    # the credential opens its own chat only
    other = await m.client.get(f"{API}/counseling-chats/{before['id']}", headers=guest_h(guest))
    assert other.status_code == 404
    assert (await m.client.get(f"{API}/counseling-chats/{guest['id']}")).status_code == 401
    bogus = await m.client.get(f"{API}/counseling-chats/{guest['id']}", headers={"X-Walk-In-Token": "x" * 43})
    assert bogus.status_code == 401
    assert (
        await m.client.post(f"{API}/counseling-chats/{guest['id']}/accept", headers=guest_h(guest))
    ).status_code == 401

    # signed in as a client of the same centre, the person takes the chat into the account
    claimed = await m.client.post(f"{API}/counseling-chats/{guest['id']}/claim", headers=c["client_h"] | guest_h(guest))
    assert claimed.status_code == 200, claimed.text
    assert (await m.client.get(f"{API}/counseling-chats/{guest['id']}", headers=guest_h(guest))).status_code == 401
    history = (await m.client.get(f"{API}/counseling-chats/{guest['id']}/messages", headers=c["client_h"])).json()
    assert [(x["text"], x["mine"]) for x in history["messages"]] == [
        ("Ich brauche Hilfe.", True),
        ("Ich bin da.", False),
    ]
    assert guest["id"] in [
        x["id"] for x in (await m.client.get(f"{API}/counseling-chats", headers=c["client_h"])).json()["items"]
    ]


async def test_a_client_of_another_centre_cannot_claim_a_walk_in_chat(messaging, as_):
    m = messaging
    started = await walk_in(m, new_id("centre"))
    stranger = as_(new_id("client"), Role.CLIENT, organisation_id=new_id("centre"))
    claimed = await m.client.post(f"{API}/counseling-chats/{started['id']}/claim", headers=stranger | guest_h(started))
    assert claimed.status_code == 403
    async with m.engine.connect() as conn:
        assert await conn.scalar(select(chats.c.client_id).where(chats.c.id == started["id"])) is None


async def test_walk_in_entry_is_rate_limited_per_address(messaging):
    m = messaging
    centre, address = new_id("centre"), new_id("address")
    limit = m.settings.walk_in_per_address
    for _ in range(limit):
        await walk_in(m, centre, address)
    refused = await m.client.post(f"{API}/centres/{centre}/walk-in-chats", headers={"X-Forwarded-For": address})
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["Retry-After"]) >= 1
    async with m.engine.connect() as conn:
        waiting = await conn.scalar(select(text("count(*)")).select_from(chats).where(chats.c.centre_id == centre))
    assert waiting == limit


async def test_counselor_opens_client_and_group_chats_with_clients_of_the_own_centre_only(
    messaging, centre, kafka_bootstrap, as_
):
    m, c = messaging, centre
    second = new_id("client")
    await registered(m, kafka_bootstrap, c["id"], c["client"], second)
    opened = await m.client.post(
        f"{API}/centres/{c['id']}/counseling-chats", headers=c["counselor_h"], json={"client_id": c["client"]}
    )
    assert opened.status_code == 201, opened.text
    view = (await m.client.get(f"{API}/counseling-chats/{opened.json()['id']}", headers=c["client_h"])).json()
    assert view["state"] == "active"

    unknown = await m.client.post(
        f"{API}/centres/{c['id']}/counseling-chats", headers=c["counselor_h"], json={"client_id": new_id("client")}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "client_id"

    group = await m.client.post(
        f"{API}/centres/{c['id']}/group-chats",
        headers=c["counselor_h"],
        json={"title": "Gruppe Schuldnerberatung", "client_ids": [c["client"], second]},
    )
    assert group.status_code == 201, group.text
    seen = (await m.client.get(f"{API}/counseling-chats/{group.json()['id']}", headers=c["client_h"])).json()
    assert (seen["kind"], seen["title"], len(seen["members"])) == ("group", "Gruppe Schuldnerberatung", 3)
    second_h = as_(second, Role.CLIENT, organisation_id=c["id"])
    wrote = await m.client.post(
        f"{API}/counseling-chats/{group.json()['id']}/messages", headers=second_h, json={"text": "Hallo zusammen"}
    )
    assert wrote.status_code == 201
    async with m.engine.connect() as conn:
        title = await conn.scalar(select(chats.c.title).where(chats.c.id == group.json()["id"]))
    assert title.startswith("sealed:v1:")


async def test_client_erasure_shreds_their_chats_and_their_group_messages(messaging, centre, kafka_bootstrap, as_):
    m, c = messaging, centre
    other = new_id("client")
    await registered(m, kafka_bootstrap, c["id"], c["client"], other)
    own = (
        await m.client.post(
            f"{API}/centres/{c['id']}/counseling-chats", headers=c["counselor_h"], json={"client_id": c["client"]}
        )
    ).json()["id"]
    group = (
        await m.client.post(
            f"{API}/centres/{c['id']}/group-chats",
            headers=c["counselor_h"],
            json={"title": "Gruppe", "client_ids": [c["client"], other]},
        )
    ).json()["id"]
    for chat_id in (own, group):
        await m.client.post(f"{API}/counseling-chats/{chat_id}/messages", headers=c["client_h"], json={"text": SECRET})
    other_h = as_(other, Role.CLIENT, organisation_id=c["id"])
    await m.client.post(f"{API}/counseling-chats/{group}/messages", headers=other_h, json={"text": "Bleibt stehen"})

    await send(
        kafka_bootstrap, m.topics.counseling, envelope("ClientErased", "client", c["client"], {"centre_id": c["id"]})
    )

    async def shredded() -> bool:
        listed = await m.client.get(f"{API}/counseling-chats/{own}/messages", headers=c["counselor_h"])
        return listed.json()["messages"][0]["erased"]

    await eventually(shredded)
    in_group = (await m.client.get(f"{API}/counseling-chats/{group}/messages", headers=c["counselor_h"])).json()
    assert [(x["erased"], x["text"]) for x in in_group["messages"]] == [(True, None), (False, "Bleibt stehen")]
    refused = await m.client.post(
        f"{API}/counseling-chats/{own}/messages", headers=c["counselor_h"], json={"text": "x"}
    )
    assert refused.status_code == 409


async def test_video_call_from_a_chat_gives_the_moderator_link_to_its_starter_only(messaging, centre):
    m, c = messaging, centre
    started = await walk_in(m, c["id"])
    chat_id = started["id"]
    assert (
        await m.client.post(f"{API}/counseling-chats/{chat_id}/video-call", headers=guest_h(started), json={})
    ).status_code == 403
    await m.client.post(f"{API}/counseling-chats/{chat_id}/accept", headers=c["counselor_h"])
    room = await m.client.post(f"{API}/counseling-chats/{chat_id}/video-call", headers=c["counselor_h"], json={})
    assert room.status_code == 201, room.text
    assert room.json()["moderator_url"].startswith("https://video.example.org/teilhabe-")
    seen = (await m.client.get(f"{API}/counseling-chats/{chat_id}/video-call", headers=guest_h(started))).json()
    assert seen["guest_url"].startswith("https://video.example.org/") and "moderator_url" not in seen
    external = await m.client.post(
        f"{API}/counseling-chats/{chat_id}/video-call",
        headers=c["counselor_h"],
        json={"external_url": "https://zoom.example.org/j/123"},
    )
    assert external.json()["external_url"] == "https://zoom.example.org/j/123"


async def test_bad_input_is_a_422_naming_the_field_and_stores_nothing(messaging, centre):
    m, c = messaging, centre
    chat_id = (await m.client.post(f"{API}/counseling-chats", headers=c["client_h"])).json()["id"]
    for body, field in (({"text": "   "}, "text"), ({"text": "x" * 5001}, "text"), ({"txt": "a"}, "txt")):
        answer = await m.client.post(f"{API}/counseling-chats/{chat_id}/messages", headers=c["client_h"], json=body)
        assert answer.status_code == 422, body
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in answer.json()["errors"]]
    read = await m.client.post(f"{API}/counseling-chats/{chat_id}/read", headers=c["client_h"], json={"up_to_seq": -1})
    assert read.json()["errors"][0]["field"] == "up_to_seq"
    group = await m.client.post(
        f"{API}/centres/{c['id']}/group-chats", headers=c["counselor_h"], json={"title": "G", "client_ids": []}
    )
    assert group.json()["errors"][0]["field"] == "client_ids"
    async with m.engine.connect() as conn:
        assert await conn.scalar(select(chats.c.last_seq).where(chats.c.id == chat_id)) == 0
        assert (
            await conn.scalar(
                select(text("count(*)")).select_from(chats).where(chats.c.kind == "group", chats.c.centre_id == c["id"])
            )
            == 0
        )


async def test_an_unclaimed_walk_in_chat_is_shredded_after_its_credential_ended(messaging, centre):
    m, c = messaging, centre
    started = await walk_in(m, c["id"])
    await m.client.post(f"{API}/counseling-chats/{started['id']}/accept", headers=c["counselor_h"])
    await m.client.post(
        f"{API}/counseling-chats/{started['id']}/messages", headers=guest_h(started), json={"text": SECRET}
    )
    async with m.engine.begin() as conn:
        await conn.execute(
            update(chats)
            .where(chats.c.id == started["id"])
            .values(guest_expires_at=datetime.now(UTC) - timedelta(days=2))
        )
        assert await walk_in_app.shred_unclaimed(conn, timedelta(days=1)) >= 1
    view = (await m.client.get(f"{API}/counseling-chats/{started['id']}", headers=c["counselor_h"])).json()
    assert (view["state"], view["guest_name"]) == ("ended", None)
    listed = (await m.client.get(f"{API}/counseling-chats/{started['id']}/messages", headers=c["counselor_h"])).json()
    assert [x["erased"] for x in listed["messages"]] == [True]
