"""Deletion, restore and erasure by crypto-shredding: after erasure no personal datum of the person
is readable from any identity table or the identity topic, while the stream still replays."""

import uuid
from datetime import date, timedelta

from aiokafka import AIOKafkaConsumer
from identity_support import (
    ACCOUNT_TOPIC,
    API,
    SERVICE_SECRET,
    active_seeker,
    admin,
    login,
    published,
    register,
    seeker_body,
    verify_and_activate,
)
from sqlalchemy import MetaData, func, select, text

from identity.app import store
from identity.app.erasure import run_due_jobs
from identity.domain.account import Status
from identity.readmodels import projection
from identity.readmodels.tables import accounts, password_resets, refresh_tokens
from identity.replay import rebuild
from teilhabe_kit import eventstore
from teilhabe_kit.testing import bearer


async def all_identity_text(engine) -> str:
    """Every row of every table of identity's database, as text (bytes decoded)."""
    chunks = []
    async with engine.connect() as conn:
        names = (
            (await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars().all()
        )
        metadata = MetaData()
        await conn.run_sync(lambda sync: metadata.reflect(sync, only=names))
        for table in metadata.sorted_tables:
            for row in await conn.execute(select(table)):
                chunks += [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row]
    return "\n".join(chunks)


async def topic_text(bootstrap: str) -> str:
    consumer = AIOKafkaConsumer(
        ACCOUNT_TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    chunks = []
    try:
        while batches := await consumer.getmany(timeout_ms=1500):
            chunks += [r.value.decode() for batch in batches.values() for r in batch]
    finally:
        await consumer.stop()
    return "\n".join(chunks)


async def test_after_erasure_no_personal_datum_is_readable_and_the_stream_still_replays(
    client, identity_issuer, engine, kafka_bootstrap
):
    marker = uuid.uuid4().hex[:12]
    body = seeker_body(
        name=f"Zacharias {marker}",
        email=f"z-{marker}@beispiel.de",
        phone=f"+49151{int(marker, 16) % 10**8:08d}",
        introduction=f"Meine Geschichte {marker}",
    )
    account_id = await register(client, "seekers", body, identity_issuer)
    headers = admin(identity_issuer)
    step = {"step": "id_document", "reason": f"Ausweis Nr. {marker} geprüft"}
    assert (
        await client.post(f"{API}/accounts/{account_id}/verification-steps", json=step, headers=headers)
    ).status_code == 201
    await verify_and_activate(client, identity_issuer, account_id)
    await client.post(f"{API}/accounts/{account_id}/lock", json={"reason": f"Sperrgrund {marker}"}, headers=headers)
    await client.post(f"{API}/accounts/{account_id}/unlock", headers=headers)
    assert (await login(client, body["email"])).status_code == 200
    await client.post(f"{API}/auth/password-reset", json={"login": body["email"]})
    personal = [
        body["name"],
        body["email"],
        body["phone"],
        body["introduction"],
        step["reason"],
        f"Sperrgrund {marker}",
    ]
    export = (await client.get(f"{API}/accounts/{account_id}/data-export", headers=headers)).json()
    assert export["account"]["contact"]["email"] == body["email"] and export["account"]["lock_reason"] is None
    assert step["reason"] in [s["reason"] for s in export["verification_steps"]] and export["active_sessions"] >= 1
    before = await all_identity_text(engine)
    assert all(p in before for p in personal[:5])  # readable while the person is with us (not the lifted lock)

    deletion = await client.post(f"{API}/accounts/{account_id}/deletion", headers=headers)
    erase_after = date.fromisoformat(deletion.json()["erase_after"])
    assert erase_after == date.today() + timedelta(days=30)
    assert (await run_due_jobs(engine, erase_after - timedelta(days=1))).erased.count(account_id) == 0
    assert account_id in (await run_due_jobs(engine, erase_after)).erased

    after = await all_identity_text(engine)
    for datum in personal:
        assert datum not in after
    async with engine.connect() as conn:
        envelopes = await eventstore.read_stream(conn, store.ACCOUNT, account_id)
        opened = [await projection.opened(conn, env) for env in envelopes]
        state = await store.load(conn, account_id)
    assert state.status == Status.ERASED and len(envelopes) == state.version
    registered = opened[0]
    assert registered.name is None and registered.email is None and registered.introduction is None
    assert all(getattr(ev, "reason", None) is None for ev in opened)

    assert registered.needs is None and registered.time_windows is None
    stored = str([env.payload for env in envelopes])
    assert "accompany_appointments" not in stored and "09:00" not in stored  # needs and time windows were sealed

    assert await rebuild(engine, [account_id]) == len(envelopes)
    async with engine.connect() as conn:
        row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).one()
    assert row.status == "erased" and row.name is None and row.email is None and row.phone is None
    assert row.activities == [] and row.ranges == []

    events = await published(kafka_bootstrap, account_id, until={"AccountErased", "AccountDeletionRequested"})
    assert events[-1].event_type == "AccountErased"
    on_topic = await topic_text(kafka_bootstrap)
    for datum in personal:
        assert datum not in on_topic
    assert (await login(client, body["email"])).status_code == 401
    assert (await client.post(f"{API}/accounts/{account_id}/restore", headers=headers)).status_code == 409
    assert (
        await client.get(
            f"{API}/internal/accounts/{account_id}/contact", headers={"X-Service-Credential": SERVICE_SECRET}
        )
    ).json() == {"email": None, "phone": None, "via_guardian": None}


async def test_restore_before_erasure(client, identity_issuer, engine):
    body = seeker_body()
    account_id = await register(client, "seekers", body, identity_issuer)
    await verify_and_activate(client, identity_issuer, account_id)
    headers = admin(identity_issuer)
    assert (await client.post(f"{API}/accounts/{account_id}/deletion", headers=headers)).status_code == 200
    assert (await login(client, body["email"])).status_code == 403
    assert (await client.post(f"{API}/accounts/{account_id}/restore", headers=headers)).status_code == 200
    assert (await login(client, body["email"])).status_code == 200
    assert account_id not in (await run_due_jobs(engine, date.today() + timedelta(days=60))).erased


async def test_admins_run_the_deletion_routine_through_the_api(client, identity_issuer):
    response = await client.post(f"{API}/admin/jobs/run", headers=admin(identity_issuer))
    assert response.status_code == 200 and set(response.json()) == {"erased", "guardianships_ended", "forgotten"}
    assert (
        await client.post(f"{API}/admin/jobs/run", headers=bearer(identity_issuer, "s", "seeker"))
    ).status_code == 403


async def test_expired_sessions_and_reset_requests_are_forgotten(client, identity_issuer, engine):
    account_id, body, _ = await active_seeker(client, identity_issuer)
    await login(client, body["email"])
    await client.post(f"{API}/auth/password-reset", json={"login": body["email"]})
    later = date.today() + timedelta(days=40)  # past the 30-day refresh lifetime plus a day
    assert (await run_due_jobs(engine, later)).forgotten >= 2
    async with engine.connect() as conn:
        for table in (refresh_tokens, password_resets):
            assert (
                await conn.scalar(select(func.count()).select_from(table).where(table.c.account_id == account_id)) == 0
            )


async def test_signing_in_after_a_deletion_request_says_so_and_how_to_restore(client, identity_issuer):
    """Regression: it said the password was wrong. With the right password it now names the date
    and how to keep the account; with a wrong one it still says only that the sign-in failed."""
    account_id, body, headers = await active_seeker(client, identity_issuer)
    deletion = await client.post(f"{API}/accounts/{account_id}/deletion", headers=headers)
    erase_after = date.fromisoformat(deletion.json()["erase_after"])
    right = await login(client, body["email"])
    wrong = await login(client, body["email"], "nicht-das-passwort-1")
    assert right.status_code == 403 and right.headers["content-type"] == "application/problem+json"
    problem = right.json()
    assert problem["title"] == "Nicht erlaubt"
    assert f"am {erase_after:%d.%m.%Y} endgültig gelöscht" in problem["detail"]
    assert f"Bis einschließlich {erase_after - timedelta(days=1):%d.%m.%Y}" in problem["detail"]
    assert "Kunden-Service" in problem["detail"]
    assert wrong.status_code == 401 and "vorgemerkt" not in wrong.text and "Löschung" not in wrong.text
