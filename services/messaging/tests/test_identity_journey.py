"""With the real identity service: messaging fetches contacts and the one-time reset link over
identity's internal HTTP API (never from Kafka) and mails it; the link then sets a new password."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from identity_support import API, SERVICE_SECRET, active_seeker, admin, published
from messaging_support import mailer

from identity import demo_centre
from identity.keys import from_pem
from identity.main import create_app as create_identity
from identity.settings import Settings as IdentitySettings
from messaging.app.directory import DirectoryUnavailable, IdentityDirectory
from teilhabe_kit.auth import SigningKey, TokenIssuer
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import ensure_database, migrate, serve


@pytest.fixture(scope="module")
async def identity(stack):
    key = from_pem(SigningKey.generate().private_pem)
    # A database of its own: a platform running elsewhere in the test run (its messaging consumes
    # identity's real topic) must not fetch this test's one-time reset links first.
    settings = IdentitySettings(
        database_url=await ensure_database("messaging_identity_test"),
        signing_key_pem=key.private_pem.decode(),
        service_credentials=SERVICE_SECRET,
        run_consumers=False,
        relay_poll_seconds=0.2,
    )
    await migrate("identity", settings.resolved_database_url())
    issuer = TokenIssuer([key])  # identity accepts admin tokens signed with its own key
    async with serve(create_identity(settings)) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield url, client, issuer


async def test_contacts_come_from_identity_with_the_service_credential(identity):
    url, client, issuer = identity
    account_id, body, _ = await active_seeker(client, issuer)
    directory = IdentityDirectory(url, SERVICE_SECRET)
    intruder = IdentityDirectory(url, "wrong")
    try:
        contact = await directory.contact(account_id)
        assert contact.email == body["email"]
        assert await directory.contact("no-such-account") is None
        assert await directory.reset_link("no-such-request") is None
        with pytest.raises(DirectoryUnavailable):
            await intruder.contact(account_id)
    finally:
        await directory.close()
        await intruder.close()


@pytest.mark.parametrize(
    "who,subject",
    [
        ("person", "Passwort neu festlegen"),
        ("admin", "Willkommen: Bitte legen Sie Ihr Passwort fest"),  # an invitation
    ],
)
async def test_set_password_mail_carries_the_link_fetched_from_identity(
    identity, kafka_bootstrap, tmp_path, who, subject
):
    url, client, issuer = identity
    account_id, body, _ = await active_seeker(client, issuer)
    async with mailer(kafka_bootstrap, url, SERVICE_SECRET, tmp_path, "messaging_journey_test") as messaging:
        if who == "person":
            asked = await client.post(f"{API}/auth/password-reset", json={"login": body["email"]})
        else:
            asked = await client.post(f"{API}/accounts/{account_id}/invitation", headers=admin(issuer))
        assert asked.status_code == 202
        events = await published(kafka_bootstrap, account_id, until={"PasswordResetRequested"})
        await messaging.send(*[e for e in events if e.event_type == "PasswordResetRequested"])
        mail = await messaging.one_mail()
    assert mail["To"] == body["email"] and mail["Subject"] == subject
    token = re.search(r"token=(\S+)", mail.get_content()).group(1)
    new_password = "Kastanien-im-Herbst-2026"
    confirmed = await client.post(f"{API}/auth/password-reset/confirm", json={"token": token, "password": new_password})
    assert confirmed.status_code == 204, confirmed.text


async def test_a_team_invitation_mail_carries_the_invitation_link_and_the_person_joins(
    identity, kafka_bootstrap, tmp_path
):
    url, client, issuer = identity
    engine = create_engine(await ensure_database("messaging_identity_test"))
    try:
        await demo_centre.ensure_centre(engine, "test")  # a counseling centre with its agreement and seats
    finally:
        await engine.dispose()
    email = f"team-{uuid.uuid4().hex[:8]}@beratung.example"
    made = await client.post(
        f"{API}/centres/{demo_centre.DEMO_CENTRE_ID}/invitations",
        json={"name": "Tara Team", "email": email, "role": "counselor"},
        headers=admin(issuer),
    )
    assert made.status_code == 201, made.text
    async with mailer(kafka_bootstrap, url, SERVICE_SECRET, tmp_path, "messaging_journey_test") as messaging:
        events = await published(kafka_bootstrap, made.json()["account_id"], until={"StaffInvited"})
        await messaging.send(*[e for e in events if e.event_type == "StaffInvited"])
        mail = await messaging.one_mail()
    assert mail["To"] == email and mail["Subject"] == "Einladung in das Team einer Beratungsstelle"
    link = re.search(r"(\S+/einladung\?token=\S+)", mail.get_content()).group(1)
    token = link.split("token=")[1]
    joined = await client.post(
        f"{API}/auth/invitations/accept", json={"token": token, "password": "Kastanien-im-Herbst-2026"}
    )
    assert joined.status_code == 200 and joined.json()["centre_id"] == demo_centre.DEMO_CENTRE_ID
