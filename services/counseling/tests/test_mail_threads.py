"""Mail counseling on the real stack (issue 17, seed 003 "Mailberatung"): a client's request is
assigned by the centre's rules, drafted, released, taken over and answered; the subject never
changes; requests go overdue and are escalated once; previous requests and a case record hang on a
thread; subject and texts are sealed with the thread's key and shredded with the client."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from counseling_support import new_centre
from mail_support import mail_settings, new_client, send, with_profiles
from sqlalchemy import text

from counseling.app import clients as cases
from counseling.app.thread_overdue import escalate_overdue
from counseling.app.thread_replay import rebuild_mail_threads


@pytest.fixture
async def centre(world, issuer, api):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        centre = await new_centre(identity, issuer)
    await with_profiles(api, centre)
    return centre


def marker() -> str:
    return f"Schulden-{uuid.uuid4().hex}"


async def test_a_request_goes_to_a_free_counselor_and_back_to_them_later(api, centre, issuer):
    await mail_settings(
        api,
        centre,
        availability={
            centre.counselor_id: {"mode": "resources", "max_open": 1},
            centre.colleague_id: {"mode": "none"},
        },
        fallback_counselor_id=centre.colleague_id,
    )
    client_id, client = await new_client(api, centre, issuer)
    first = await send(api, centre, client, "Mahnung vom Inkasso", "Ich habe eine Mahnung bekommen.")
    shown = (await api.get(f"/centres/{centre.id}/mail-threads/{first}", headers=centre.counselor)).json()
    assert shown["assignee_id"] == centre.counselor_id
    assert shown["status"] == "open" and shown["subject"] == "Mahnung vom Inkasso"
    assert [m["author_role"] for m in shown["messages"]] == ["client"]

    _, stranger = await new_client(api, centre, issuer)  # the counselor is full: the fallback takes it
    overflow = await send(api, centre, stranger, "Miete", "Ich kann die Miete nicht zahlen.")
    shown = (await api.get(f"/centres/{centre.id}/mail-threads/{overflow}", headers=centre.admin)).json()
    assert shown["assignee_id"] == centre.colleague_id

    again = await send(api, centre, client, "Noch eine Frage", "Und die Zinsen?")  # known: previous counselor
    shown = (await api.get(f"/centres/{centre.id}/mail-threads/{again}", headers=centre.counselor)).json()
    assert shown["assignee_id"] == centre.counselor_id

    previous = await api.get(f"/centres/{centre.id}/mail-threads/{again}/previous", headers=centre.counselor)
    assert previous.status_code == 200, previous.text
    assert [p["thread_id"] for p in previous.json()] == [first]
    assert previous.json()[0]["subject"] == "Mahnung vom Inkasso"

    own = await api.get(f"/centres/{centre.id}/mail-threads", headers=client)
    assert {t["thread_id"] for t in own.json()} == {first, again}
    assert client_id  # the client's own list shows only their requests


async def test_the_primary_counselor_gets_the_request_even_when_set_to_none(api, centre, issuer):
    await mail_settings(api, centre, availability={centre.colleague_id: {"mode": "none"}})
    client_id, client = await new_client(api, centre, issuer)
    assigned = await api.put(
        f"/centres/{centre.id}/clients/{client_id}/primary-counselor",
        json={"counselor_id": centre.colleague_id},
        headers=centre.admin,
    )
    assert assigned.status_code == 204, assigned.text
    thread = await send(api, centre, client, "Frage", "Hallo")
    shown = (await api.get(f"/centres/{centre.id}/mail-threads/{thread}", headers=centre.colleague)).json()
    assert shown["assignee_id"] == centre.colleague_id


async def test_nobody_available_leaves_the_request_new_for_the_team(api, centre, issuer):
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Frage", "Hallo")
    new = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "new"}, headers=centre.colleague)
    assert thread in [t["thread_id"] for t in new.json()]
    taken = await api.post(f"/centres/{centre.id}/mail-threads/{thread}/takeover", headers=centre.colleague)
    assert taken.status_code == 204, taken.text
    mine = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "mine"}, headers=centre.colleague)
    assert [t["thread_id"] for t in mine.json()] == [thread]


async def test_draft_release_and_take_over_then_answer(api, centre, issuer):
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Kontopfändung", "Mein Konto ist gepfändet.")
    base = f"/centres/{centre.id}/mail-threads/{thread}"

    not_yet = await api.post(f"{base}/takeover", headers=centre.colleague)
    assert not_yet.status_code == 403  # not released yet (openness `released`)
    hidden = await api.get(base, headers=centre.colleague)
    assert hidden.status_code == 403
    stranger_draft = await api.put(f"{base}/draft", json={"text": "x"}, headers=centre.colleague)
    assert stranger_draft.status_code == 403

    saved = await api.put(
        f"{base}/draft", json={"text": "Ein P-Konto schützt ...", "release": True}, headers=centre.counselor
    )
    assert saved.status_code == 204, saved.text
    released = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "released"}, headers=centre.colleague)
    assert thread in [t["thread_id"] for t in released.json()]
    assert (await api.get(base, headers=client)).json()["draft"] is None  # the client never sees a draft

    taken = await api.post(f"{base}/takeover", headers=centre.colleague)
    assert taken.status_code == 204, taken.text
    shown = (await api.get(base, headers=centre.colleague)).json()
    assert shown["assignee_id"] == centre.colleague_id and shown["status"] == "open"
    assert shown["draft"] == {"author_id": centre.counselor_id, "text": "Ein P-Konto schützt ..."}
    assert (await api.post(f"{base}/takeover", headers=centre.counselor)).status_code == 403  # not released now

    answered = await api.post(f"{base}/messages", json={"text": "Ein P-Konto schützt Sie."}, headers=centre.colleague)
    assert answered.status_code == 201, answered.text
    shown = (await api.get(base, headers=client)).json()
    assert shown["status"] == "answered" and shown["waiting_since"] is None
    assert [(m["author_role"], m["text"]) for m in shown["messages"]][1] == ("counselor", "Ein P-Konto schützt Sie.")
    follow = await api.post(f"{base}/messages", json={"text": "Danke! Und wie?"}, headers=client)
    assert follow.status_code == 201
    assert (await api.get(base, headers=centre.colleague)).json()["status"] == "open"


async def test_a_closed_centre_lets_only_admins_hand_threads_on(api, centre, issuer):
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}}, openness="closed")
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Frage", "Hallo")
    base = f"/centres/{centre.id}/mail-threads/{thread}"
    assert (
        await api.put(f"{base}/draft", json={"text": "Entwurf", "release": True}, headers=centre.counselor)
    ).status_code == 204
    released = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "released"}, headers=centre.colleague)
    assert released.json() == []
    assert (await api.post(f"{base}/takeover", headers=centre.colleague)).status_code == 403
    assert (await api.post(f"{base}/takeover", headers=centre.admin)).status_code == 204


async def test_the_subject_never_changes(api, centre, issuer):
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Betreff", "Text")
    for headers in (client, centre.admin):
        response = await api.patch(
            f"/centres/{centre.id}/mail-threads/{thread}", json={"subject": "Anders"}, headers=headers
        )
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Betreff" in response.json()["detail"]
    shown = (await api.get(f"/centres/{centre.id}/mail-threads/{thread}", headers=centre.admin)).json()
    assert shown["subject"] == "Betreff"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Hallo"}, "subject"),
        ({"subject": "   ", "text": "Hallo"}, "subject"),
        ({"subject": "x" * 201, "text": "Hallo"}, "subject"),
        ({"subject": "Frage"}, "text"),
        ({"subject": "Frage", "text": ""}, "text"),
        ({"subject": "Frage", "text": "Hallo", "name": "Anna"}, "name"),
    ],
)
async def test_bad_requests_name_the_field_and_store_nothing(api, centre, issuer, world, body, field):
    _, client = await new_client(api, centre, issuer)
    response = await api.post(f"/centres/{centre.id}/mail-threads", json=body, headers=client)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in str(response.json())
    async with world.engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM mail_threads WHERE centre_id = :c"), {"c": centre.id})
    assert count == 0


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"availability": {"ID": {"mode": "resources"}}}, "availability"),
        ({"availability": {"ID": {"mode": "sometimes"}}}, "availability"),
        ({"availability": {"ID": {"mode": "resources", "max_open": 0}}}, "max_open"),
        ({"openness": "wide"}, "openness"),
        ({"fallback_counselor_id": "not-in-the-team"}, "fallback_counselor_id"),
        ({"availability": {"not-in-the-team": {"mode": "unlimited"}}}, "availability.not-in-the-team"),
    ],
)
async def test_bad_settings_name_the_field(api, centre, settings, field):
    body = {
        k: ({centre.counselor_id: v["ID"]} if k == "availability" and "ID" in v else v) for k, v in settings.items()
    }
    response = await api.put(f"/centres/{centre.id}/mail-settings", json=body, headers=centre.admin)
    assert response.status_code == 422, response.text
    assert field in str(response.json())


async def test_overdue_requests_are_escalated_once_and_listed(api, centre, issuer, world):
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Frage", "Hallo")
    now = datetime.now(UTC)
    assert thread not in await escalate_overdue(world.engine, now + timedelta(days=2))  # default period: 3 days
    assert thread in await escalate_overdue(world.engine, now + timedelta(days=4))
    assert thread not in await escalate_overdue(world.engine, now + timedelta(days=5))  # once per wait
    async with world.engine.begin() as conn:
        facts = await conn.scalar(
            text("SELECT count(*) FROM event_store WHERE stream_id = :t AND event_type = 'MailThreadOverdue'"),
            {"t": thread},
        )
        assert facts == 1
        await conn.execute(  # the read model as four days later, for the inbox's own clock
            text("UPDATE mail_threads SET waiting_since = waiting_since - interval '4 days' WHERE id = :t"),
            {"t": thread},
        )
    for headers in (centre.admin, centre.counselor):
        overdue = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "overdue"}, headers=headers)
        assert thread in [t["thread_id"] for t in overdue.json()]
        assert all(t["overdue"] for t in overdue.json())
    other = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "overdue"}, headers=centre.colleague)
    assert thread not in [t["thread_id"] for t in other.json()]


async def test_a_case_record_from_a_thread(api, centre, issuer):
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    client_id, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Frage", "Hallo")
    record = {"occurred_on": "2026-12-01", "minutes": 20, "subject": "debt"}
    made = await api.post(f"/centres/{centre.id}/mail-threads/{thread}/records", json=record, headers=centre.counselor)
    assert made.status_code == 201, made.text
    records = await api.get(f"/centres/{centre.id}/clients/{client_id}/records", headers=centre.counselor)
    [row] = records.json()
    assert row["record_id"] == made.json()["record_id"] and row["channel"] == "mail" and row["minutes"] == 20
    stranger = await api.post(
        f"/centres/{centre.id}/mail-threads/{thread}/records", json=record, headers=centre.colleague
    )
    assert stranger.status_code == 403


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("messages", {}, "text"),
        ("messages", {"text": "  "}, "text"),
        ("messages", {"text": "x" * 20001}, "text"),
        ("draft", {"release": True}, "text"),
        ("draft", {"text": "Entwurf", "release": "vielleicht"}, "release"),
    ],
)
async def test_bad_messages_and_drafts_name_the_field_and_change_nothing(api, centre, issuer, world, path, body, field):
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Frage", "Hallo")
    method = api.post if path == "messages" else api.put
    response = await method(f"/centres/{centre.id}/mail-threads/{thread}/{path}", json=body, headers=centre.counselor)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in str(response.json())
    async with world.engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM event_store WHERE stream_id = :t"), {"t": thread})
    assert count == 3  # received, written, assigned


async def test_content_is_sealed_at_rest_and_shredded_with_the_client(api, centre, issuer, world, caplog):
    caplog.set_level(logging.DEBUG)
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    client_id, client = await new_client(api, centre, issuer)
    subject, body, answer, draft = marker(), marker(), marker(), marker()
    thread = await send(api, centre, client, subject, body)
    base = f"/centres/{centre.id}/mail-threads/{thread}"
    assert (await api.post(f"{base}/messages", json={"text": answer}, headers=centre.counselor)).status_code == 201
    assert (await api.put(f"{base}/draft", json={"text": draft}, headers=centre.counselor)).status_code == 204
    async with world.engine.connect() as conn:
        tables = (await conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).all()
        dump = "".join([str((await conn.execute(text(f'SELECT t::text FROM "{name}" t'))).all()) for name in tables])
    assert "mail_threads" in tables and "event_store" in tables and "outbox" in tables
    for secret in (subject, body, answer, draft):
        assert secret not in dump
        assert secret not in caplog.text  # nor in the service's logs
    assert caplog.text  # the logs were captured
    assert thread in dump  # the scan did read the thread's rows

    async with world.engine.begin() as conn:
        assert await cases.erase(conn, client_id)  # what identity's AccountErased leads to
    shown = (await api.get(base, headers=centre.admin)).json()
    assert shown["subject"] is None and shown["draft"] is None
    assert [m["text"] for m in shown["messages"]] == [None, None]


async def test_replay_folds_the_same_mail_threads_again(api, centre, issuer, world):
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    erased_id, erased = await new_client(api, centre, issuer)
    _, client = await new_client(api, centre, issuer)
    gone = await send(api, centre, erased, "Weg", "Wird gelöscht")
    thread = await send(api, centre, client, "Frage", "Hallo")
    base = f"/centres/{centre.id}/mail-threads/{thread}"
    assert (await api.post(f"{base}/messages", json={"text": "Antwort"}, headers=centre.counselor)).status_code == 201
    assert (await api.post(f"{base}/messages", json={"text": "Nachfrage"}, headers=client)).status_code == 201
    assert (
        await api.put(f"{base}/draft", json={"text": "E", "release": True}, headers=centre.counselor)
    ).status_code == 204
    async with world.engine.begin() as conn:
        assert await cases.erase(conn, erased_id)

    async def snapshot() -> list:
        async with world.engine.connect() as conn:
            rows = await conn.execute(text("SELECT * FROM mail_threads WHERE centre_id = :c"), {"c": centre.id})
            return sorted(tuple(r) for r in rows.all())

    before = await snapshot()
    async with world.engine.begin() as conn:
        report = await rebuild_mail_threads(conn)
    assert report["threads"] >= len(before) and report["events"] > len(before)
    assert await snapshot() == before  # (other tests' threads: the overdue test moved one's clock by hand)
    assert {gone, thread} <= {row[0] for row in before}
