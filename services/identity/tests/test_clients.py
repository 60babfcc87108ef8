"""Clients (Ratsuchende) of counseling centres on the real stack: opened by a counselor (initial
password shown once, changed at the first sign-in) or by the person; sign-in by centre + pseudonym;
lock, deletion and restore by the centre's staff; erasure leaves no pseudonym or contact behind.
Authz: another centre's staff, other roles and anonymous callers are refused, nothing changes."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import jwt
import pytest
from identity_support import API, PASSWORD, admin, published, unique_address, unique_email
from sqlalchemy import select

from identity.app.erasure import run_due_jobs
from identity.main import create_app
from identity.readmodels.tables import accounts, credentials, organisations
from teilhabe_events import dlq_topic, encode, registry
from teilhabe_events.contexts.counseling import CounselingSettingsChanged
from teilhabe_kit.localtime import local_date
from teilhabe_kit.testing import bearer, create_topics, publish_raw, serve, unique_topic


async def new_centre(client, issuer) -> str:
    response = await client.post(
        f"{API}/organisations",
        json={"kind": "counseling_centre", "name": "Suchtberatung Göttingen", "postcode": "37073"},
        headers=admin(issuer),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def staff(issuer, centre_id: str, role: str = "counselor") -> dict[str, str]:
    return bearer(issuer, f"{role}-{uuid.uuid4().hex[:8]}", role, organisation_id=centre_id)


def pseudonym() -> str:
    return f"Sonnenblume {uuid.uuid4().hex[:6]}"


async def client_login(client, centre_id: str, name: str, password: str):
    return await client.post(
        f"{API}/auth/client-login",
        json={"centre_id": centre_id, "pseudonym": name, "password": password},
        headers=unique_address(),
    )


async def opened(client, issuer, centre_id: str, **extra) -> dict:
    response = await client.post(
        f"{API}/centres/{centre_id}/clients", json={"pseudonym": pseudonym(), **extra}, headers=staff(issuer, centre_id)
    )
    assert response.status_code == 201, response.text
    assert response.headers["Cache-Control"] == "no-store"
    return response.json()


@pytest.fixture
async def centre(client, identity_issuer) -> str:
    return await new_centre(client, identity_issuer)


async def test_counselor_opens_a_client_who_changes_the_password_first(client, identity_issuer, centre):
    made = await opened(client, identity_issuer, centre)
    signed = await client_login(client, centre, made["pseudonym"].upper(), made["initial_password"])
    assert signed.status_code == 200, signed.text
    assert signed.json()["must_change_password"] is True
    claims = jwt.decode(signed.json()["access_token"], options={"verify_signature": False})
    assert claims["roles"] == ["client"] and claims["org"] == centre and claims["sub"] == made["account_id"]
    changed = await client.post(
        f"{API}/auth/password",
        json={"current_password": made["initial_password"], "new_password": PASSWORD},
        headers={"Authorization": f"Bearer {signed.json()['access_token']}"},
    )
    assert changed.status_code == 204, changed.text
    again = await client_login(client, centre, made["pseudonym"], PASSWORD)
    assert again.status_code == 200 and again.json()["must_change_password"] is False
    assert (await client_login(client, centre, made["pseudonym"], made["initial_password"])).status_code == 401


async def test_a_counselor_assigns_a_new_password(client, identity_issuer, centre):
    made = await opened(client, identity_issuer, centre)
    response = await client.post(
        f"{API}/centres/{centre}/clients/{made['account_id']}/password", headers=staff(identity_issuer, centre)
    )
    assert response.status_code == 200, response.text
    fresh = response.json()["initial_password"]
    assert fresh != made["initial_password"]
    assert (await client_login(client, centre, made["pseudonym"], made["initial_password"])).status_code == 401
    signed = await client_login(client, centre, made["pseudonym"], fresh)
    assert signed.status_code == 200 and signed.json()["must_change_password"] is True


async def test_self_registration_with_optional_contact(client, identity_issuer, centre, engine, kafka_bootstrap):
    name, email = pseudonym(), unique_email()
    body = {"pseudonym": name, "password": PASSWORD, "email": email, "consents": {"privacy": True}}
    response = await client.post(f"{API}/centres/{centre}/client-registrations", json=body)
    assert response.status_code == 201, response.text
    account_id = response.json()["account_id"]
    signed = await client_login(client, centre, name, PASSWORD)
    assert signed.status_code == 200 and signed.json()["must_change_password"] is False
    other_centre = await new_centre(client, identity_issuer)
    assert (await client_login(client, other_centre, name, PASSWORD)).status_code == 401
    taken = await client.post(
        f"{API}/centres/{centre}/client-registrations",
        json=body | {"pseudonym": name.lower(), "email": unique_email()},
    )
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "pseudonym"
    events = await published(kafka_bootstrap, account_id, until={"AccountRegistered", "MembershipApproved"})
    registered = next(env for env in events if env.event_type == "AccountRegistered")
    assert registered.payload["role"] == "client" and registered.payload["organisation_id"] == centre
    on_kafka = json.dumps([env.payload for env in events])
    assert name not in on_kafka and email not in on_kafka


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pseudonym": "a@b"}, "pseudonym"),
        ({"pseudonym": "x"}, "pseudonym"),
        ({"password": "kurz"}, "password"),
        ({"email": "keine-adresse"}, "email"),
        ({"consents": {"privacy": False}}, "privacy"),
    ],
)
async def test_bad_self_registration_names_the_field(client, centre, engine, change, field):
    body = {"pseudonym": pseudonym(), "password": PASSWORD, "consents": {"privacy": True}} | change
    response = await client.post(f"{API}/centres/{centre}/client-registrations", json=body)
    assert response.status_code == 422, response.text
    assert field in json.dumps(response.json())
    assert response.headers["content-type"].startswith("application/problem+json")
    async with engine.connect() as conn:
        rows = await conn.scalar(select(accounts.c.id).where(accounts.c.organisation_id == centre))
    assert rows is None


async def test_unknown_centre_is_404(client):
    body = {"pseudonym": pseudonym(), "password": PASSWORD, "consents": {"privacy": True}}
    response = await client.post(f"{API}/centres/{uuid.uuid4()}/client-registrations", json=body)
    assert response.status_code == 404


async def test_lock_delete_restore_and_erasure(client, identity_issuer, centre, engine):
    made = await opened(client, identity_issuer, centre, email=unique_email(), phone="0151 2345678")
    account_id, name = made["account_id"], made["pseudonym"]
    path = f"{API}/centres/{centre}/clients/{account_id}"
    headers = staff(identity_issuer, centre, "centre_admin")
    assert (await client.post(f"{path}/lock", json={"reason": "droht"}, headers=headers)).status_code == 200
    assert (await client_login(client, centre, name, made["initial_password"])).status_code == 403
    assert (await client.post(f"{path}/unlock", headers=headers)).status_code == 200
    assert (await client_login(client, centre, name, made["initial_password"])).status_code == 200
    deleted = await client.post(f"{path}/deletion", headers=headers)
    assert deleted.status_code == 200, deleted.text
    assert (await client_login(client, centre, name, made["initial_password"])).status_code == 403
    assert (await client.post(f"{path}/restore", headers=headers)).status_code == 200
    assert (await client_login(client, centre, name, made["initial_password"])).status_code == 200
    erase_after = (await client.post(f"{path}/deletion", headers=headers)).json()["erase_after"]
    assert account_id in (await run_due_jobs(engine, date.fromisoformat(erase_after) + timedelta(days=1))).erased
    async with engine.connect() as conn:
        row = (await conn.execute(select(accounts).where(accounts.c.id == account_id))).one()
        assert row.name is None and row.login_name is None and row.email is None and row.phone is None
        assert await conn.scalar(select(credentials.c.account_id).where(credentials.c.account_id == account_id)) is None
    assert (await client_login(client, centre, name, made["initial_password"])).status_code == 401


async def test_only_the_centres_staff_manage_its_clients(client, identity_issuer, centre, engine):
    made = await opened(client, identity_issuer, centre)
    account_id = made["account_id"]
    other = await new_centre(client, identity_issuer)
    stranger = await opened(client, identity_issuer, other)
    client_token = (await client_login(client, centre, made["pseudonym"], made["initial_password"])).json()
    callers = {
        "other centre's counselor": (staff(identity_issuer, other), 403),
        "other centre's admin": (staff(identity_issuer, other, "centre_admin"), 403),
        "platform admin": (admin(identity_issuer), 403),
        "seeker": (bearer(identity_issuer, "seeker-1", "seeker"), 403),
        "client": ({"Authorization": f"Bearer {client_token['access_token']}"}, 403),
        "anonymous": ({}, 401),
    }
    path = f"{API}/centres/{centre}/clients"
    for who, (headers, status) in callers.items():
        for method, url, body in (
            ("POST", path, {"pseudonym": pseudonym()}),
            ("POST", f"{path}/{account_id}/password", None),
            ("POST", f"{path}/{account_id}/lock", {}),
            ("POST", f"{path}/{account_id}/unlock", None),
            ("POST", f"{path}/{account_id}/deletion", None),
            ("POST", f"{path}/{account_id}/restore", None),
        ):
            response = await client.request(method, url, json=body, headers=headers)
            assert response.status_code == status, (who, url, response.text)
    own = staff(identity_issuer, centre)
    for action in ("lock", "unlock", "deletion", "restore"):  # the centre's admins only
        response = await client.post(f"{path}/{account_id}/{action}", json={}, headers=own)
        assert response.status_code == 403, (action, response.text)
    own_admin = staff(identity_issuer, centre, "centre_admin")
    for action in ("password", "lock", "deletion"):  # another centre's client through one's own centre
        response = await client.post(f"{path}/{stranger['account_id']}/{action}", json={}, headers=own_admin)
        assert response.status_code == 404, (action, response.text)
    signed = await client_login(client, centre, made["pseudonym"], made["initial_password"])
    assert signed.status_code == 200, "nothing changed: the first password still works, the account is not locked"
    async with engine.connect() as conn:
        count = await conn.scalar(
            select(accounts.c.id).where(accounts.c.organisation_id == centre).order_by(accounts.c.id).offset(1)
        )
    assert count is None, "no account was opened by a refused caller"


async def test_the_centres_deletion_routine_comes_from_counseling(
    client, identity_issuer, identity_app, identity_settings, kafka_bootstrap, engine
):
    """Counseling's `CounselingSettingsChanged {deletion_days}` sets the days until a deleted client is erased."""
    topic = unique_topic("counseling-settings")
    await create_topics(kafka_bootstrap, topic, dlq_topic(topic))
    settings = identity_settings.model_copy(
        update={
            "run_consumers": True,
            "run_relay": False,
            "counseling_topic": topic,
            "centres_topic": unique_topic("centres-unused"),
            "contracts_topic": unique_topic("contracts-unused"),
            "consumer_group_prefix": unique_topic("identity-test"),
        }
    )
    centre = await new_centre(client, identity_issuer)
    async with serve(create_app(settings)):
        changed = CounselingSettingsChanged(automatic_primary_counselor=False, mail_overdue_days=3, deletion_days=7)
        envelope = registry.envelope(changed, stream_id=centre, stream_version=1)
        await publish_raw(kafka_bootstrap, topic, encode(envelope), key=centre.encode())
        async with asyncio.timeout(30):
            while True:
                async with engine.connect() as conn:
                    days = await conn.scalar(
                        select(organisations.c.client_retention_days).where(organisations.c.id == centre)
                    )
                if days == 7:
                    break
                await asyncio.sleep(0.1)
    made = await opened(client, identity_issuer, centre)
    deleted = await client.post(
        f"{API}/centres/{centre}/clients/{made['account_id']}/deletion",
        headers=staff(identity_issuer, centre, "centre_admin"),
    )
    assert deleted.status_code == 200, deleted.text
    assert date.fromisoformat(deleted.json()["erase_after"]) == local_date(datetime.now(UTC)) + timedelta(days=7)
