"""Notifications from events: inbox, server-sent events with replay, e-mail/SMS delivery with retries."""

from __future__ import annotations

import asyncio

from messaging_support import (
    SseClient,
    account_event,
    availability_request,
    envelope,
    eventually,
    new_id,
    offer_submitted,
    send,
)
from sqlalchemy import func, select

from messaging.consumers.events import MessagingProjection
from messaging.readmodels.tables import deliveries, guardianships, memberships, notifications, offers
from teilhabe_kit.auth import Role
from teilhabe_kit.replay import replay
from teilhabe_kit.tables import event_store, outbox
from teilhabe_kit.testing import bearer, consumed, unique_topic


async def _notifications(m, person_id: str) -> list:
    async with m.engine.connect() as conn:
        return (await conn.execute(select(notifications).where(notifications.c.recipient_id == person_id))).all()


async def _deferred(m, person_id: str) -> bool:
    """Whether the person's deliveries all wait for a later attempt (the worker deferred them)."""
    async with m.engine.connect() as conn:
        waiting = await conn.scalar(
            select(func.bool_and(deliveries.c.next_attempt_at > func.now()))
            .select_from(deliveries.join(notifications, notifications.c.id == deliveries.c.notification_id))
            .where(notifications.c.recipient_id == person_id)
        )
    return bool(waiting)


async def _delivery_states(m, person_id: str) -> list:
    async with m.engine.connect() as conn:
        return (
            await conn.execute(
                select(deliveries.c.channel, deliveries.c.state, deliveries.c.attempts, deliveries.c.notification_id)
                .join(notifications, notifications.c.id == deliveries.c.notification_id)
                .where(notifications.c.recipient_id == person_id)
            )
        ).all()


def _mails_to(m, address: str) -> list:
    return [mail for mail in m.smtp.mails() if mail["To"] == address]


async def test_availability_request_is_pushed_over_sse_and_mailed_once(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    assistant = new_id("assistant")
    address = f"{assistant}@example.org"
    m.directory.add(assistant, email=address)
    headers = bearer(token_issuer, assistant, Role.ASSISTANT)
    request = availability_request(assistant, new_id("order"))
    async with SseClient(m.client, headers) as sse:
        await send(kafka_bootstrap, m.topics.matching, request)
        pushed = await sse.next()
    assert pushed["kind"] == "availability_request" and pushed["title"] == "Neue Anfrage für Sie"
    assert pushed["link"] == f"/assistenz/anfragen/{request.payload['request_id']}"

    mails = await eventually(lambda: asyncio.sleep(0, _mails_to(m, address)))
    assert mails[0]["Subject"] == "Neue Anfrage für Sie"
    assert f"/assistenz/anfragen/{request.payload['request_id']}" in mails[0].get_content()

    await send(kafka_bootstrap, m.topics.matching, request)  # delivered again by Kafka
    await send(kafka_bootstrap, m.topics.matching, availability_request(new_id("other"), new_id("order")))
    await consumed(kafka_bootstrap, m.settings.consumer_group, m.topics.matching)
    assert len(await _notifications(m, assistant)) == 1
    assert len(_mails_to(m, address)) == 1

    inbox = (await m.client.get("/api/v1/messaging/notifications", headers=headers)).json()["items"]
    assert [n["kind"] for n in inbox] == ["availability_request"]
    assert inbox[0]["deliveries"] == [
        {
            "channel": "email",
            "state": "delivered",
            "attempts": 1,
            "delivered_at": inbox[0]["deliveries"][0]["delivered_at"],
        }
    ]
    async with m.engine.connect() as conn:
        stored = (
            await conn.execute(
                select(event_store.c.event_type, event_store.c.payload)
                .where(event_store.c.stream_id == inbox[0]["id"])
                .order_by(event_store.c.stream_version)
            )
        ).all()
    assert [e.event_type for e in stored] == ["NotificationCreated", "NotificationDelivered"]
    assert address not in str([e.payload for e in stored])


async def test_a_reconnecting_client_gets_what_it_missed(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    seeker = new_id("seeker")
    headers = bearer(token_issuer, seeker, Role.SEEKER)
    order = new_id("order")
    async with SseClient(m.client, headers) as sse:
        await send(kafka_bootstrap, m.topics.orders, offer_submitted(order, seeker, assistant_id=new_id("assistant")))
        first = await sse.next()
        last_seen = sse.last_id
    # offline: two more offers arrive
    await send(
        kafka_bootstrap,
        m.topics.orders,
        offer_submitted(order, seeker, assistant_id=new_id("assistant")),
        offer_submitted(order, seeker, assistant_id=new_id("assistant")),
    )
    await eventually(lambda: _count_is(m, seeker, 3))
    async with SseClient(m.client, headers, last_event_id=last_seen) as again:
        missed = [await again.next(), await again.next()]
    assert first["kind"] == "offer_submitted"
    assert [n["kind"] for n in missed] == ["offer_submitted", "offer_submitted"]
    assert first["event_id"] < missed[0]["event_id"] < missed[1]["event_id"]
    assert first["id"] not in {n["id"] for n in missed}


async def _count_is(m, person: str, count: int) -> bool:
    return len(await _notifications(m, person)) == count


async def test_smtp_down_is_retried_and_delivered_later(messaging, kafka_bootstrap):
    m = messaging
    person = new_id("applicant")
    address = f"{person}@example.org"
    m.directory.add(person, email=address)
    m.smtp.stop()
    try:
        await send(
            kafka_bootstrap,
            m.topics.identity,
            account_event("AccountActivated", person, {"role": "assistant", "activated_by": "admin-1"}),
        )
        await eventually(lambda: _attempted_at_least(m, person, 2))
        states = await _delivery_states(m, person)
        assert [(s.channel, s.state) for s in states] == [("email", "pending")]
    finally:
        m.smtp.start()
    delivered = await eventually(lambda: _delivered(m, person), timeout=30)
    assert delivered.attempts >= 3
    mails = _mails_to(m, address)
    assert len(mails) == 1 and mails[0]["Subject"] == "Ihr Konto ist freigeschaltet"
    async with m.engine.connect() as conn:
        published = (
            (await conn.execute(select(outbox.c.topic).where(outbox.c.key == delivered.notification_id)))
            .scalars()
            .all()
        )
    assert published == ["messaging.notification.v1"] * 2


async def _attempted_at_least(m, person: str, attempts: int) -> bool:
    states = await _delivery_states(m, person)
    return bool(states) and states[0].attempts >= attempts


async def _delivered(m, person: str):
    states = await _delivery_states(m, person)
    return states[0] if states and states[0].state == "delivered" else None


async def test_sms_for_those_who_chose_it_and_quiet_hours_defer_mail(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    texter, sleeper = new_id("texter"), new_id("sleeper")
    m.directory.add(texter, email=f"{texter}@example.org", phone="+4915100000001")
    m.directory.add(sleeper, email=f"{sleeper}@example.org")
    choose = await m.client.put(
        "/api/v1/messaging/preferences",
        headers=bearer(token_issuer, texter, Role.ASSISTANT),
        json={"email": False, "sms": True},
    )
    assert choose.status_code == 200 and choose.json()["sms"] is True and choose.json()["in_app"] is True
    quiet = await m.client.put(
        "/api/v1/messaging/preferences",
        headers=bearer(token_issuer, sleeper, Role.ASSISTANT),
        json={"email": True, "quiet_from": "00:00", "quiet_until": "23:59"},
    )
    assert quiet.status_code == 200
    await send(
        kafka_bootstrap,
        m.topics.matching,
        availability_request(texter, new_id("order")),
        availability_request(sleeper, new_id("order")),
    )
    sms = await eventually(lambda: asyncio.sleep(0, [s for s in m.sms.messages() if s["to"] == "+4915100000001"]))
    assert sms[0]["text"].startswith("Neue Anfrage für Sie:")
    assert [s.channel for s in await _delivery_states(m, texter)] == ["sms"]
    await eventually(lambda: _count_is(m, sleeper, 1))
    await eventually(lambda: _deferred(m, sleeper))  # the worker saw it in the quiet hours and moved it on
    [deferred] = await _delivery_states(m, sleeper)
    assert deferred.state == "pending" and deferred.attempts == 0
    assert _mails_to(m, f"{sleeper}@example.org") == []


async def test_password_reset_link_is_fetched_and_only_mailed(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    person, request_id = new_id("forgetful"), new_id("reset")
    address = f"{person}@example.org"
    m.directory.add(person, email=address)
    m.directory.add_reset_link(request_id, f"http://127.0.0.1:8000/passwort-neu?token={request_id}.secret")
    await send(
        kafka_bootstrap, m.topics.identity, account_event("PasswordResetRequested", person, {"request_id": request_id})
    )
    [mail] = await eventually(lambda: asyncio.sleep(0, _mails_to(m, address)))
    assert f"passwort-neu?token={request_id}.secret" in mail.get_content()
    inbox = (
        await m.client.get("/api/v1/messaging/notifications", headers=bearer(token_issuer, person, Role.SEEKER))
    ).json()
    assert "secret" not in str(inbox)
    async with m.engine.connect() as conn:
        assert (
            await conn.execute(
                select(deliveries.c.secret_link).where(deliveries.c.notification_id == inbox["items"][0]["id"])
            )
        ).scalar() is None


async def test_inbox_unread_count_and_marking_read_are_per_person(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    seeker, stranger = new_id("seeker"), new_id("stranger")
    mine, theirs = bearer(token_issuer, seeker, Role.SEEKER), bearer(token_issuer, stranger, Role.SEEKER)
    order = new_id("order")
    await send(
        kafka_bootstrap,
        m.topics.orders,
        offer_submitted(order, seeker, assistant_id=new_id("a")),
        offer_submitted(order, seeker, assistant_id=new_id("a")),
    )
    await eventually(lambda: _count_is(m, seeker, 2))
    base = "/api/v1/messaging/notifications"
    assert (await m.client.get(f"{base}/unread-count", headers=mine)).json() == {"unread": 2}
    assert (await m.client.get(base, headers=theirs)).json()["items"] == []
    first = (await m.client.get(base, headers=mine)).json()["items"][0]
    assert (await m.client.post(f"{base}/{first['id']}/read", headers=theirs)).status_code == 404
    assert (await m.client.post(f"{base}/{first['id']}/read", headers=mine)).json() == {"marked": 1}
    unread = (await m.client.get(base, params={"unread": True}, headers=mine)).json()["items"]
    assert len(unread) == 1 and unread[0]["id"] != first["id"]
    assert (await m.client.post(f"{base}/read", headers=mine)).json() == {"marked": 1}
    assert (await m.client.get(f"{base}/unread-count", headers=mine)).json() == {"unread": 0}
    assert (await m.client.get(base)).status_code == 401
    assert (await m.client.get(f"{base}/stream")).status_code == 401


async def test_bad_preferences_are_refused_naming_the_field(messaging, token_issuer):
    m = messaging
    person = new_id("p")
    headers = bearer(token_issuer, person, Role.SEEKER)
    response = await m.client.put("/api/v1/messaging/preferences", headers=headers, json={"quiet_from": "22:00"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "quiet_until"
    assert (await m.client.get("/api/v1/messaging/preferences", headers=headers)).json()["quiet_from"] is None
    other = await m.client.get("/api/v1/messaging/preferences", params={"person_id": new_id("x")}, headers=headers)
    assert other.status_code == 403


async def test_meetings_reach_seeker_guardian_assistant_and_the_providers_coordinators(messaging, kafka_bootstrap):
    m = messaging
    seeker, guardian, assistant, coordinator, org = (
        new_id(p) for p in ("seeker", "guardian", "assistant", "coord", "org")
    )
    await send(
        kafka_bootstrap,
        m.topics.identity,
        account_event("GuardianAssigned", seeker, {"guardian_id": guardian, "acts_until": "2030-01-01"}),
        account_event("MembershipApproved", coordinator, {"organisation_id": org, "role": "coordinator"}),
    )
    await eventually(lambda: _learned(m, seeker, coordinator))  # topics are not ordered with each other
    contract = new_id("contract")
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
    for person in (seeker, guardian, assistant, coordinator):
        [notice] = await eventually(lambda: _notifications(m, person))
        assert notice.kind == "meeting_scheduled" and notice.link == f"/vertraege/{contract}"
        assert notice.body == "Das Treffen ist am Dienstag, 01.12.2026 um 10:00 Uhr."


async def _learned(m, ward: str, coordinator: str) -> bool:
    async with m.engine.connect() as conn:
        guardian = await conn.scalar(select(guardianships.c.guardian_id).where(guardianships.c.ward_id == ward))
        member = await conn.scalar(select(memberships.c.organisation_id).where(memberships.c.account_id == coordinator))
    return bool(guardian and member)


async def test_without_a_contact_delivery_fails_once_and_says_so(messaging, kafka_bootstrap):
    m = messaging
    person = new_id("unreachable")  # identity knows no e-mail for this person
    await send(kafka_bootstrap, m.topics.identity, account_event("AccountRefused", person, {"refused_by": "admin-1"}))
    failed = await eventually(lambda: _failed(m, person))
    assert failed.attempts == 1
    async with m.engine.connect() as conn:
        stored = (
            await conn.execute(
                select(event_store.c.event_type, event_store.c.payload)
                .where(event_store.c.stream_id == failed.notification_id)
                .order_by(event_store.c.stream_version)
            )
        ).all()
    assert [(e.event_type, e.payload.get("reason")) for e in stored] == [
        ("NotificationCreated", None),
        ("NotificationDeliveryFailed", "no_contact"),
    ]


async def _failed(m, person: str):
    states = await _delivery_states(m, person)
    return states[0] if states and states[0].state == "failed" else None


async def test_replay_rebuilds_what_was_learned_without_notifying_twice(messaging, kafka_bootstrap):
    m = messaging
    seeker = new_id("seeker")
    offer = offer_submitted(new_id("order"), seeker, assistant_id=new_id("assistant"))
    await send(kafka_bootstrap, m.topics.orders, offer)
    await eventually(lambda: _count_is(m, seeker, 1))
    report = await replay(
        m.engine, MessagingProjection(m.store, name=unique_topic("replay"), topics=m.topics.all()), kafka_bootstrap
    )
    assert report.applied >= 1 and report.skipped == 0
    assert len(await _notifications(m, seeker)) == 1
    async with m.engine.connect() as conn:
        assert (
            await conn.scalar(select(offers.c.seeker_id).where(offers.c.offer_id == offer.payload["offer_id"]))
            == seeker
        )


async def test_a_closed_request_no_longer_counts_as_unread(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    assistant, order = new_id("assistant"), new_id("order")
    request = availability_request(assistant, order)
    await send(kafka_bootstrap, m.topics.matching, request)
    await eventually(lambda: _count_is(m, assistant, 1))
    headers = bearer(token_issuer, assistant, Role.ASSISTANT)
    assert (await m.client.get("/api/v1/messaging/notifications/unread-count", headers=headers)).json() == {"unread": 1}
    await send(
        kafka_bootstrap,
        m.topics.matching,
        envelope(
            "AvailabilityRequestClosed",
            "order",
            order,
            {
                "request_id": request.payload["request_id"],
                "order_id": order,
                "assistant_id": assistant,
                "reason": "order_withdrawn",
            },
            version=2,
        ),
    )
    await eventually(lambda: _unread_is(m, headers, 0))


async def _unread_is(m, headers, count: int) -> bool:
    return (await m.client.get("/api/v1/messaging/notifications/unread-count", headers=headers)).json()[
        "unread"
    ] == count
