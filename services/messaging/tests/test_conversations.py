"""Conversations on the real stack: who may open and read them, documents, receipts, export, rooms,
abuse review and erasure."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from messaging_support import account_event, envelope, eventually, new_id, offer_submitted, send
from sqlalchemy import func, select

from messaging.readmodels.tables import audit_log, documents, notifications, offers
from teilhabe_kit.auth import Role
from teilhabe_kit.testing import bearer, sample_image, sample_pdf

API = "/api/v1/messaging"
PDF = sample_pdf("Nachweis")
PNG = sample_image("PNG", seed=7)


async def _offer_known(m, offer_id: str) -> bool:
    async with m.engine.connect() as conn:
        return await conn.scalar(select(offers.c.offer_id).where(offers.c.offer_id == offer_id)) is not None


@pytest.fixture
async def offer(messaging, kafka_bootstrap, token_issuer):
    """A seeker's order with an assistant's offer, known to messaging."""
    seeker, assistant, order = new_id("seeker"), new_id("assistant"), new_id("order")
    event = offer_submitted(order, seeker, assistant_id=assistant)
    await send(kafka_bootstrap, messaging.topics.orders, event)
    await eventually(lambda: _offer_known(messaging, event.payload["offer_id"]))
    return {
        "order_id": order,
        "offer_id": event.payload["offer_id"],
        "seeker": seeker,
        "assistant": assistant,
        "seeker_h": bearer(token_issuer, seeker, Role.SEEKER),
        "assistant_h": bearer(token_issuer, assistant, Role.ASSISTANT),
    }


async def _open(m, offer, headers=None):
    return await m.client.post(
        f"{API}/conversations",
        headers=headers or offer["seeker_h"],
        json={"order_id": offer["order_id"], "offer_id": offer["offer_id"]},
    )


async def test_either_side_opens_once_an_offer_exists_and_only_then(messaging, offer, token_issuer):
    m = messaging
    none = await m.client.post(
        f"{API}/conversations",
        headers=offer["seeker_h"],
        json={"order_id": offer["order_id"], "offer_id": "no-such-offer"},
    )
    assert none.status_code == 404
    opened = await _open(m, offer, offer["assistant_h"])
    assert opened.status_code == 201 and opened.json()["created"] is True
    again = await _open(m, offer)
    assert again.status_code == 200 and again.json()["id"] == opened.json()["id"]
    stranger = await _open(m, offer, bearer(token_issuer, new_id("seeker"), Role.SEEKER))
    assert stranger.status_code == 403
    admin = await _open(m, offer, bearer(token_issuer, new_id("admin"), Role.ADMIN))
    assert admin.status_code == 403
    guardian = bearer(token_issuer, new_id("guardian"), Role.GUARDIAN, acting_for=[offer["seeker"]])
    assert (await _open(m, offer, guardian)).json()["id"] == opened.json()["id"]
    listed = (await m.client.get(f"{API}/conversations", headers=guardian)).json()
    assert [c["id"] for c in listed["items"]] == [opened.json()["id"]] and listed["items"][0]["as_person"] == offer[
        "seeker"
    ]
    assert listed["next_offset"] is None
    paged = (await m.client.get(f"{API}/conversations", params={"limit": 1}, headers=guardian)).json()
    assert len(paged["items"]) == 1 and paged["next_offset"] == 1
    bad = await m.client.get(f"{API}/conversations", params={"limit": 0}, headers=guardian)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "limit"


async def test_chat_with_receipts_notifications_and_export(messaging, offer, token_issuer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}"
    posted = await m.client.post(
        f"{url}/messages", headers=offer["seeker_h"], json={"text": "=Hallo! Wann passt es Ihnen?"}
    )
    assert posted.status_code == 201 and posted.json()["seq"] == 1
    thread = (await m.client.get(f"{url}/messages", headers=offer["assistant_h"])).json()
    assert (thread["order_id"], thread["offer_id"]) == (offer["order_id"], offer["offer_id"])  # the chat's context
    listed = thread["messages"]
    assert listed[0]["text"] == "=Hallo! Wann passt es Ihnen?" and listed[0]["read_by"] == []
    summary = (await m.client.get(f"{API}/conversations", headers=offer["assistant_h"])).json()["items"][0]
    assert summary["unread"] == 1
    assert (await m.client.post(f"{url}/read", headers=offer["assistant_h"], json={"up_to_seq": 1})).json() == {
        "read_seq": 1
    }
    listed = (await m.client.get(f"{url}/messages", headers=offer["seeker_h"])).json()["messages"]
    assert listed[0]["read_by"] == [offer["assistant"]]

    async def told():
        async with m.engine.connect() as conn:
            return (
                await conn.execute(
                    select(notifications.c.kind, notifications.c.read_at)
                    .where(notifications.c.recipient_id == offer["assistant"])
                    .order_by(notifications.c.seq)
                )
            ).all()

    [(kind, read_at)] = await told()
    assert kind == "message_posted" and read_at is not None  # reading the conversation read the notice
    await m.client.post(f"{url}/messages", headers=offer["seeker_h"], json={"text": "Noch da?"})
    await m.client.post(f"{url}/messages", headers=offer["seeker_h"], json={"text": "Hallo?"})
    assert [(k, r is None) for k, r in await told()] == [("message_posted", False), ("message_posted", True)]

    export = await m.client.get(f"{url}/export.csv", headers=offer["assistant_h"])
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Nr", "Zeit", "Von", "Nachricht", "Dokument"]
    assert rows[1][2] == offer["seeker"] and rows[1][3] == "'=Hallo! Wann passt es Ihnen?"

    empty = await m.client.post(f"{url}/messages", headers=offer["seeker_h"], json={"text": "   "})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "text"


async def test_non_participants_are_refused_the_conversation_and_its_documents(messaging, offer, token_issuer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}"
    uploaded = await m.client.post(
        f"{url}/documents",
        headers=offer["assistant_h"],
        files={"file": ("nachweis.pdf", PDF, "application/pdf")},
        data={"text": "Mein Nachweis"},
    )
    assert uploaded.status_code == 201
    document = uploaded.json()["id"]
    download = await m.client.get(f"{url}/documents/{document}", headers=offer["seeker_h"])
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"

    outsiders = [
        bearer(token_issuer, new_id("assistant"), Role.ASSISTANT),
        bearer(token_issuer, new_id("coordinator"), Role.COORDINATOR, organisation_id=new_id("org")),
    ]
    for headers in outsiders:
        for path in ("/messages", "/documents", f"/documents/{document}", "/export.csv", "/video-room"):
            assert (await m.client.get(url + path, headers=headers)).status_code == 403, path
        assert (await m.client.post(f"{url}/messages", headers=headers, json={"text": "hi"})).status_code == 403
        sneaked = await m.client.post(f"{url}/documents", headers=headers, files={"file": ("x.png", PNG, "image/png")})
        assert sneaked.status_code == 403
    admin = bearer(token_issuer, new_id("admin"), Role.ADMIN)
    assert (await m.client.get(f"{url}/messages", headers=admin)).status_code == 403
    assert (await m.client.get(f"{API}/conversations/nope/messages", headers=offer["seeker_h"])).status_code == 404
    listed = (await m.client.get(f"{url}/documents", headers=offer["seeker_h"])).json()["items"]
    assert [(d["filename"], d["media_type"]) for d in listed] == [("nachweis.pdf", "application/pdf")]
    assert listed[0]["delivered_at"]


@pytest.mark.parametrize(
    "name,content,declared",
    [
        ("gross.pdf", b"%PDF-1.4\n" + b"0" * 200_001, "application/pdf"),
        ("rechnung.pdf", b"MZ\x90\x00 this is a windows program", "application/pdf"),
        ("bild.png", b"\xff\xd8\xff\xe0 a jpeg named png", "image/png"),
        ("skript.pdf", b"%PDF-1.4 claims to be html", "text/html"),
        ("brief.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", "application/pdf"),  # issue 21
        ("leer.pdf", b"", "application/pdf"),
    ],
)
async def test_oversized_or_disguised_uploads_are_refused_and_nothing_is_stored(
    messaging, offer, name, content, declared
):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    files_before = m.store.count()
    response = await m.client.post(
        f"{API}/conversations/{conversation}/documents",
        headers=offer["seeker_h"],
        files={"file": (name, content, declared)},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "file"
    assert m.store.count() == files_before
    async with m.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).where(documents.c.conversation_id == conversation)) == 0
    assert (await m.client.get(f"{API}/conversations/{conversation}/messages", headers=offer["seeker_h"])).json()[
        "messages"
    ] == []


async def test_group_conversation_of_a_coordinator_with_own_assistants(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    org, coordinator, a1, a2, foreign = (new_id(p) for p in ("org", "coord", "a1", "a2", "foreign"))
    await send(
        kafka_bootstrap,
        m.topics.identity,
        *[
            account_event("MembershipApproved", person, {"organisation_id": o, "role": role})
            for person, o, role in (
                (coordinator, org, "coordinator"),
                (a1, org, "assistant"),
                (a2, org, "assistant"),
                (foreign, new_id("org"), "assistant"),
            )
        ],
    )
    headers = bearer(token_issuer, coordinator, Role.COORDINATOR, organisation_id=org)

    async def create(members):
        return await m.client.post(f"{API}/groups", headers=headers, json={"title": "Team Nord", "member_ids": members})

    refused = await eventually(lambda: _status(create([a1, foreign]), 422))
    assert refused.json()["errors"][0]["field"] == "member_ids"
    group = await eventually(lambda: _status(create([a1, a2]), 201))
    items = (await m.client.get(f"{API}/conversations", headers=bearer(token_issuer, a2, Role.ASSISTANT))).json()[
        "items"
    ]
    assert [(c["id"], c["kind"], c["title"]) for c in items] == [(group.json()["id"], "group", "Team Nord")]
    assert (
        await m.client.post(
            f"{API}/groups", headers=bearer(token_issuer, a1, Role.ASSISTANT), json={"title": "x", "member_ids": [a2]}
        )
    ).status_code == 403


async def _status(call, status):
    response = await call
    return response if response.status_code == status else None


async def test_video_room_links_are_signed_and_expiring(messaging, offer, token_issuer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}/video-room"
    room = (await m.client.post(url, headers=offer["seeker_h"], json={})).json()
    assert {"moderator_url", "guest_url", "seminar_url", "expires_at"} <= room.keys()
    secret, app_id = m.settings.video_app_secret, m.settings.video_app_id

    def claims(link):
        token = parse_qs(urlsplit(link).query)["jwt"][0]
        return jwt.decode(token, secret, algorithms=["HS256"], audience="jitsi", issuer=app_id)

    assert room["moderator_url"].startswith("https://video.example.org/teilhabe-")
    assert claims(room["moderator_url"])["context"]["user"]["moderator"] is True
    assert claims(room["guest_url"])["context"]["user"]["moderator"] is False
    seminar = claims(room["seminar_url"])
    assert seminar["context"]["features"]["video"] is False and "startWithVideoMuted=true" in room["seminar_url"]
    assert seminar["exp"] > seminar["iat"]
    seen_by_other = (await m.client.get(url, headers=offer["assistant_h"])).json()
    assert "moderator_url" not in seen_by_other and "seminar_url" not in seen_by_other
    assert seen_by_other["guest_url"].split("?")[0] == room["guest_url"].split("?")[0]
    external = await m.client.post(
        url, headers=offer["assistant_h"], json={"external_url": "https://zoom.example.com/j/1"}
    )
    assert external.json()["external_url"] == "https://zoom.example.com/j/1"
    bad = await m.client.post(url, headers=offer["assistant_h"], json={"external_url": "kein link"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "external_url"


async def test_admins_read_only_reported_conversations_and_are_audited(messaging, offer, token_issuer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}"
    await m.client.post(f"{url}/messages", headers=offer["assistant_h"], json={"text": "Beleidigung"})
    admin_id = new_id("admin")
    admin = bearer(token_issuer, admin_id, Role.ADMIN)
    assert (await m.client.get(f"{url}/messages", headers=admin)).status_code == 403
    report = await m.client.post(
        f"{url}/abuse-reports", headers=offer["seeker_h"], json={"reason": "Ich wurde beleidigt."}
    )
    assert report.status_code == 201
    report_id = report.json()["id"]
    review = f"{API}/admin/abuse-reports/{report_id}/review"
    assert (
        await m.client.post(review, headers=offer["seeker_h"], json={"reason": "Ich will mitlesen."})
    ).status_code == 403
    assert (await m.client.post(review, headers=admin, json={"reason": "kurz"})).status_code == 422
    read = await m.client.post(review, headers=admin, json={"reason": "Meldung wegen Beleidigung prüfen"})
    assert read.status_code == 200 and read.json()["messages"][0]["text"] == "Beleidigung"
    reports = (await m.client.get(f"{API}/admin/abuse-reports", headers=admin)).json()["items"]
    assert report_id in {r["id"] for r in reports}
    async with m.engine.connect() as conn:
        audit = (await conn.execute(select(audit_log).where(audit_log.c.report_id == report_id))).all()
    assert [(a.actor_id, a.action, a.conversation_id) for a in audit] == [(admin_id, "abuse_review", conversation)]
    assert "Beleidigung" not in audit[0].reason  # sealed


async def test_online_status_is_visible_to_conversation_partners_only(messaging, offer, token_issuer):
    m = messaging
    await _open(m, offer)
    changed = await m.client.put(f"{API}/status", headers=offer["assistant_h"], json={"status": "not_reachable"})
    assert changed.json() == {"person_id": offer["assistant"], "status": "not_reachable", "label": "Nicht erreichbar"}
    seen = await m.client.get(f"{API}/status/{offer['assistant']}", headers=offer["seeker_h"])
    assert seen.json()["status"] == "not_reachable"
    stranger = bearer(token_issuer, new_id("seeker"), Role.SEEKER)
    assert (await m.client.get(f"{API}/status/{offer['assistant']}", headers=stranger)).status_code == 404
    bad = await m.client.put(f"{API}/status", headers=offer["assistant_h"], json={"status": "away"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "status"


async def test_not_reachable_people_cannot_be_contacted_anew(messaging, offer):
    m = messaging
    await m.client.put(f"{API}/status", headers=offer["assistant_h"], json={"status": "not_reachable"})
    assert (await _open(m, offer)).status_code == 409
    await m.client.put(f"{API}/status", headers=offer["assistant_h"], json={"status": "online"})
    assert (await _open(m, offer)).status_code == 201


async def test_erasure_makes_texts_and_documents_unreadable_but_keeps_the_conversation(
    messaging, offer, kafka_bootstrap
):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}"
    await m.client.post(f"{url}/messages", headers=offer["assistant_h"], json={"text": "Ich heiße Alex."})
    uploaded = (
        await m.client.post(
            f"{url}/documents",
            headers=offer["assistant_h"],
            files={"file": ("ausweis-erased.png", PNG + b"unique" + conversation.encode(), "image/png")},
        )
    ).json()
    await m.client.post(f"{url}/messages", headers=offer["seeker_h"], json={"text": "Danke!"})
    await send(kafka_bootstrap, m.topics.identity, account_event("AccountErased", offer["assistant"]))

    async def erased():
        listed = (await m.client.get(f"{url}/messages", headers=offer["seeker_h"])).json()["messages"]
        return listed if listed[0]["erased"] else None

    listed = await eventually(erased)
    assert [(x["text"], x["erased"]) for x in listed] == [(None, True), (None, True), ("Danke!", False)]
    assert listed[1]["document"]["erased"] is True and listed[1]["document"]["filename"] is None
    gone = await m.client.get(f"{url}/documents/{uploaded['id']}", headers=offer["seeker_h"])
    assert gone.status_code == 410
    async with m.engine.connect() as conn:
        content_hash = await conn.scalar(select(documents.c.content_hash).where(documents.c.id == uploaded["id"]))
    assert not m.store.exists(content_hash)
    export = (await m.client.get(f"{url}/export.csv", headers=offer["seeker_h"])).text
    assert "Diese Nachricht wurde gelöscht." in export and "Alex" not in export and "Danke!" in export


async def test_declined_offers_end_the_chat_offer_and_notify_the_assistant(messaging, offer, kafka_bootstrap):
    m = messaging
    await send(
        kafka_bootstrap,
        m.topics.orders,
        envelope(
            "OfferDeclined",
            "order",
            offer["order_id"],
            {"offer_id": offer["offer_id"], "seeker_id": offer["seeker"]},
            version=3,
        ),
    )

    async def told():
        async with m.engine.connect() as conn:
            return (
                (
                    await conn.execute(
                        select(notifications.c.kind).where(notifications.c.recipient_id == offer["assistant"])
                    )
                )
                .scalars()
                .all()
            )

    assert await eventually(told) == ["offer_declined"]
    assert (await _open(m, offer)).status_code == 404


async def test_a_retried_post_with_the_same_idempotency_key_posts_once(messaging, offer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}"
    headers = offer["seeker_h"] | {"Idempotency-Key": "retry-1"}
    first = await m.client.post(f"{url}/messages", headers=headers, json={"text": "Hallo"})
    again = await m.client.post(f"{url}/messages", headers=headers, json={"text": "Hallo"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    doc_headers = offer["seeker_h"] | {"Idempotency-Key": "upload-1"}
    files = {"file": ("plan.pdf", PDF + conversation.encode(), "application/pdf")}
    up1 = await m.client.post(f"{url}/documents", headers=doc_headers, files=files)
    up2 = await m.client.post(f"{url}/documents", headers=doc_headers, files=files)
    assert up1.json() == up2.json()
    listed = (await m.client.get(f"{url}/messages", headers=offer["seeker_h"])).json()["messages"]
    assert [x["seq"] for x in listed] == [1, 2]


async def test_every_conversation_endpoint_refuses_wrong_roles_and_outsiders(messaging, offer, token_issuer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}"
    admin = bearer(token_issuer, new_id("admin"), Role.ADMIN)
    counselor = bearer(token_issuer, new_id("counselor"), Role.COUNSELOR)
    outsider = bearer(token_issuer, new_id("seeker"), Role.SEEKER)
    calls = [
        ("GET", f"{API}/conversations", None),
        ("GET", f"{url}/messages", None),
        ("POST", f"{url}/messages", {"text": "x"}),
        ("POST", f"{url}/read", {"up_to_seq": 1}),
        ("GET", f"{url}/documents", None),
        ("GET", f"{url}/export.csv", None),
        ("POST", f"{url}/video-room", {}),
        ("GET", f"{url}/video-room", None),
        ("POST", f"{url}/abuse-reports", {"reason": "Das ist eine Meldung."}),
        ("POST", f"{API}/groups", {"title": "x", "member_ids": ["a"]}),
    ]
    for method, path, body in calls:
        for headers in (admin, counselor):
            response = await m.client.request(method, path, headers=headers, json=body)
            assert response.status_code == 403, (method, path)
        assert (await m.client.request(method, path, json=body)).status_code == 401, (method, path)
    for method, path, body in calls[1:-1]:
        assert (await m.client.request(method, path, headers=outsider, json=body)).status_code == 403, (method, path)
    assert (await m.client.get(f"{API}/conversations", headers=outsider)).json()["items"] == []
    for path in (f"{API}/admin/abuse-reports",):
        assert (await m.client.get(path, headers=offer["seeker_h"])).status_code == 403
    unknown = await m.client.post(
        f"{API}/admin/abuse-reports/nope/review", headers=admin, json={"reason": "Meldung wegen Beleidigung prüfen"}
    )
    assert unknown.status_code == 404


async def test_a_provider_offer_is_discussed_with_the_coordinator_and_then_the_proposed_assistant(
    messaging, kafka_bootstrap, token_issuer
):
    m = messaging
    seeker, coordinator, assistant, org, order = (new_id(p) for p in ("seeker", "coord", "assistant", "org", "order"))
    event = offer_submitted(order, seeker, organisation_id=org, submitted_by=coordinator)
    await send(kafka_bootstrap, m.topics.orders, event)
    await eventually(lambda: _offer_known(m, event.payload["offer_id"]))
    coordinator_h = bearer(token_issuer, coordinator, Role.COORDINATOR, organisation_id=org)
    opened = await m.client.post(
        f"{API}/conversations", headers=coordinator_h, json={"order_id": order, "offer_id": event.payload["offer_id"]}
    )
    assert opened.status_code == 201
    url = f"{API}/conversations/{opened.json()['id']}/messages"
    assistant_h = bearer(token_issuer, assistant, Role.ASSISTANT)
    assert (await m.client.get(url, headers=assistant_h)).status_code == 403
    await send(
        kafka_bootstrap,
        m.topics.orders,
        envelope(
            "AssistantProposed",
            "order",
            order,
            {
                "offer_id": event.payload["offer_id"],
                "seeker_id": seeker,
                "organisation_id": org,
                "assistant_id": assistant,
                "proposed_by": coordinator,
            },
            version=3,
        ),
    )
    joined = await eventually(lambda: _status(m.client.get(url, headers=assistant_h), 200))
    assert joined.json()["participant_ids"] == sorted([seeker, coordinator, assistant])


async def test_a_scheduled_meeting_gets_a_video_room_for_its_participants_only(
    messaging, kafka_bootstrap, token_issuer
):
    m = messaging
    seeker, assistant, coordinator, org, contract = (
        new_id(p) for p in ("seeker", "assistant", "coord", "org", "contract")
    )
    url = f"{API}/meetings/{contract}/video-room"
    coordinator_h = bearer(token_issuer, coordinator, Role.COORDINATOR, organisation_id=org)
    assert (await m.client.post(url, headers=coordinator_h, json={})).status_code == 404
    await send(
        kafka_bootstrap,
        m.topics.contracts,
        envelope(
            "MeetingScheduled",
            "contract",
            contract,
            {
                "contract_id": contract,
                "order_id": new_id("order"),
                "seeker_id": seeker,
                "assistant_id": assistant,
                "organisation_id": org,
                "meeting_at": "2026-12-01T09:00:00+00:00",
            },
            version=2,
        ),
    )
    room = (await eventually(lambda: _status(m.client.post(url, headers=coordinator_h, json={}), 201))).json()
    assert room["contract_id"] == contract and {"moderator_url", "seminar_url", "guest_url"} <= room.keys()
    for headers in (
        bearer(token_issuer, seeker, Role.SEEKER),
        bearer(token_issuer, assistant, Role.ASSISTANT),
        bearer(token_issuer, new_id("guardian"), Role.GUARDIAN, acting_for=[seeker]),
    ):
        seen = (await m.client.get(url, headers=headers)).json()
        assert seen["guest_url"].split("?")[0] == room["guest_url"].split("?")[0] and "moderator_url" not in seen
    for headers in (
        bearer(token_issuer, new_id("assistant"), Role.ASSISTANT),
        bearer(token_issuer, new_id("coord"), Role.COORDINATOR, organisation_id=new_id("org")),
    ):
        assert (await m.client.get(url, headers=headers)).status_code == 403
        assert (await m.client.post(url, headers=headers, json={})).status_code == 403
    assert (await m.client.get(url, headers=bearer(token_issuer, new_id("admin"), Role.ADMIN))).status_code == 403


async def test_a_retried_report_is_created_once(messaging, offer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    headers = offer["seeker_h"] | {"Idempotency-Key": "report-0001"}
    body = {"reason": "Ich wurde beleidigt."}
    first = await m.client.post(f"{API}/conversations/{conversation}/abuse-reports", headers=headers, json=body)
    again = await m.client.post(f"{API}/conversations/{conversation}/abuse-reports", headers=headers, json=body)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = await m.client.post(
        f"{API}/conversations/{conversation}/abuse-reports", headers=headers, json={"reason": "Etwas ganz anderes."}
    )
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_the_uploader_deletes_a_document_others_cannot(messaging, offer, token_issuer):
    m = messaging
    conversation = (await _open(m, offer)).json()["id"]
    url = f"{API}/conversations/{conversation}/documents"
    content = PNG + b"delete-me" + conversation.encode()
    document = (
        await m.client.post(url, headers=offer["seeker_h"], files={"file": ("foto.png", content, "image/png")})
    ).json()
    async with m.engine.connect() as conn:
        content_hash = await conn.scalar(select(documents.c.content_hash).where(documents.c.id == document["id"]))
    assert (await m.client.delete(f"{url}/{document['id']}", headers=offer["assistant_h"])).status_code == 403
    outsider = bearer(token_issuer, new_id("seeker"), Role.SEEKER)
    assert (await m.client.delete(f"{url}/{document['id']}", headers=outsider)).status_code == 403
    assert (await m.client.delete(f"{url}/{document['id']}", headers=offer["seeker_h"])).status_code == 204
    assert (await m.client.get(f"{url}/{document['id']}", headers=offer["assistant_h"])).status_code == 410
    assert not m.store.exists(content_hash)
    [listed] = (await m.client.get(url, headers=offer["assistant_h"])).json()["items"]
    assert listed["erased"] is True and listed["filename"] is None
