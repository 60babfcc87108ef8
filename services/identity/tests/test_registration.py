"""Registration → verification steps → activation → login, with the public events on Kafka."""

import asyncio
import uuid

import jwt
import pytest
from identity_support import (
    API,
    admin,
    assistant_body,
    create_provider,
    login,
    published,
    register,
    seeker_body,
    verify_and_activate,
)
from sqlalchemy import func, select

from identity.readmodels.tables import accounts, credentials
from teilhabe_events import registry
from teilhabe_kit import postcodes
from teilhabe_kit.auth import TokenVerifier
from teilhabe_kit.tables import event_store, idempotency_keys, outbox, person_keys
from teilhabe_kit.testing import bearer


async def test_a_seeker_registers_is_verified_activated_and_signs_in(client, identity_issuer, kafka_bootstrap):
    body = seeker_body()
    account_id = await register(client, "seekers", body, identity_issuer)
    refused = await login(client, body["email"])
    assert refused.status_code == 403 and "noch nicht freigeschaltet" in refused.json()["detail"]

    headers = admin(identity_issuer)
    early = await client.post(f"{API}/accounts/{account_id}/activation", headers=headers)
    assert early.status_code == 409 and "intro_call" in early.json()["detail"]
    await verify_and_activate(client, identity_issuer, account_id)
    verification = (await client.get(f"{API}/accounts/{account_id}/verification", headers=headers)).json()
    assert verification["missing"] == [] and {s["reason"] for s in verification["completed"]} == {
        "intro_call geprüft",
        "id_document geprüft",
    }

    signed_in = await login(client, body["email"].upper())
    assert signed_in.status_code == 200, signed_in.text
    tokens = signed_in.json()
    jwks = (await client.get(f"{API}/.well-known/jwks.json")).json()
    principal = await TokenVerifier(jwks=jwks).verify(tokens["access_token"])
    assert principal.account_id == account_id and principal.roles == {"seeker"}
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert {"sub", "roles", "org", "acting_for", "exp", "iat", "iss", "aud"} <= claims.keys()
    assert 899 < claims["exp"] - claims["iat"] <= 900  # iat keeps milliseconds

    events = await published(kafka_bootstrap, account_id, until={"AccountRegistered", "AccountActivated"})
    types = [env.event_type for env in events]
    assert types == [
        "AccountRegistered",
        "PlaceChanged",
        "VerificationStepCompleted",
        "VerificationStepCompleted",
        "AccountActivated",
    ]
    assert [env.stream_version for env in events] == [1, 2, 3, 4, 5]
    for env in events:
        registry.load(env)  # every payload matches the public schema
        assert body["name"] not in str(env.payload) and body["email"] not in str(env.payload)
    assert events[0].payload == {"role": "seeker", "organisation_id": None, "self_employed": False}
    lat, lon = postcodes.lookup("37154")
    assert events[1].payload["place"] == {"lat": round(lat, 2), "lon": round(lon, 2)}  # rounded, never the postcode
    assert {e.payload["step"] for e in events[2:4]} == {"intro_call", "id_document"}


async def test_an_assistant_of_a_provider_is_verified_by_admin_and_coordinator_and_becomes_member(
    client, identity_issuer, kafka_bootstrap
):
    provider = await create_provider(client, identity_issuer)
    body = assistant_body(provider)
    account_id = await register(client, "assistants", body, identity_issuer)
    coordinator = bearer(identity_issuer, "coord-1", "coordinator", organisation_id=provider)
    other_coordinator = bearer(identity_issuer, "coord-2", "coordinator", organisation_id=str(uuid.uuid4()))
    step = {"step": "provider_interview", "reason": "Gespräch am 20.11. geführt"}
    assert (
        await client.post(f"{API}/accounts/{account_id}/verification-steps", json=step, headers=other_coordinator)
    ).status_code == 404
    not_theirs = {"step": "id_document", "reason": "x"}
    assert (
        await client.post(f"{API}/accounts/{account_id}/verification-steps", json=not_theirs, headers=coordinator)
    ).status_code == 403
    assert (
        await client.post(f"{API}/accounts/{account_id}/verification-steps", json=step, headers=coordinator)
    ).status_code == 201
    await verify_and_activate(client, identity_issuer, account_id)
    tokens = (await login(client, body["phone"])).json()
    assert (await client.get(f"{API}/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})).json()[
        "status"
    ] == "active"

    events = await published(kafka_bootstrap, account_id, until={"MembershipApproved"})
    by_type = {env.event_type: env for env in events}
    assert by_type["AccountRegistered"].payload == {
        "role": "assistant",
        "organisation_id": provider,
        "self_employed": False,
    }
    assert by_type["ActivitiesChanged"].payload == {"activities": ["shopping", "walks"]}
    assert by_type["AvailabilityChanged"].payload["ranges"][0] == {"weekday": 1, "start": "08:00:00", "end": "12:00:00"}
    assert by_type["TraitsChanged"].payload == {"traits": ["driving_licence", "language_de"]}
    lat, lon = postcodes.lookup("37073")
    assert by_type["PlaceChanged"].payload == {"place": {"lat": round(lat, 2), "lon": round(lon, 2)}, "radius_km": 15.0}
    assert by_type["MembershipApproved"].payload == {"organisation_id": provider, "role": "assistant"}
    assert [e.payload["recorded_by"] for e in events if e.event_type == "VerificationStepCompleted"][0] == "coord-1"

    left = await client.delete(f"{API}/accounts/{account_id}/membership", headers=admin(identity_issuer))
    assert left.status_code == 200
    assert (await client.get(f"{API}/accounts/{account_id}", headers=coordinator)).status_code == 404
    events = await published(kafka_bootstrap, account_id, until={"MembershipEnded"})
    assert events[-1].payload == {"organisation_id": provider}


async def test_refusal_keeps_the_reason_and_refuses_sign_in(client, identity_issuer):
    body = seeker_body()
    account_id = await register(client, "seekers", body, identity_issuer)
    headers = admin(identity_issuer)
    refused = await client.post(
        f"{API}/accounts/{account_id}/refusal", json={"reason": "Ausweis passt nicht"}, headers=headers
    )
    assert refused.status_code == 200
    assert (await login(client, body["email"])).status_code == 403
    assert (await client.post(f"{API}/accounts/{account_id}/activation", headers=headers)).status_code == 409


async def test_the_same_idempotency_key_registers_once(client, engine):
    body, key = seeker_body(), str(uuid.uuid4())
    first = await client.post(f"{API}/registrations/seekers", json=body, headers={"Idempotency-Key": key})
    again = await client.post(f"{API}/registrations/seekers", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json() and again.headers["Idempotent-Replayed"] == "true"
    other = await client.post(f"{API}/registrations/seekers", json=seeker_body(), headers={"Idempotency-Key": key})
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    async with engine.connect() as conn:
        assert (
            await conn.scalar(select(func.count()).select_from(accounts).where(accounts.c.email == body["email"])) == 1
        )


async def test_a_known_e_mail_address_gets_the_same_answer_and_its_owner_a_message(
    client, identity_issuer, engine, kafka_bootstrap
):
    """Issue 21 (3): a known address answered 409 "schon für ein Konto eingetragen" (account
    enumeration). Now the answer is the same as for a new one; the owner is told instead."""
    body = seeker_body()
    new = await client.post(f"{API}/registrations/seekers", json=body)
    existing = await client.get(f"{API}/accounts", params={"q": body["email"]}, headers=admin(identity_issuer))
    [owner] = existing.json()["items"]
    again = await client.post(f"{API}/registrations/seekers", json=seeker_body(email=body["email"], name="Eve"))
    as_assistant = await client.post(f"{API}/registrations/assistants", json=assistant_body(email=body["email"]))
    assert new.status_code == again.status_code == as_assistant.status_code == 202
    assert new.json() == again.json() == as_assistant.json()
    assert set(new.headers) - {"date", "x-request-id"} == set(again.headers) - {"date", "x-request-id"}
    async with engine.connect() as conn:
        count = select(func.count()).select_from(accounts).where(accounts.c.email == body["email"])
        assert await conn.scalar(count) == 1
    repeated = await published(  # the two repeats may reach Kafka in separate relay rounds: wait for both
        kafka_bootstrap,
        owner["id"],
        until={"SignUpRepeated"},
        count=2,
        where=lambda e: e.event_type == "SignUpRepeated",
    )
    assert len(repeated) == 2
    events = await published(kafka_bootstrap, owner["id"], until={"AccountRegistered", "SignUpRepeated"})
    assert "PasswordResetRequested" not in {e.event_type for e in events}


async def test_a_missing_consent_is_named_in_plain_words(client):
    """Regression: it said "Input should be True" (or "Field required") in English."""
    body = seeker_body(consents={"privacy": True, "withdrawal": True, "terms": True})
    german = await client.post(f"{API}/registrations/seekers", json=body)
    english = await client.post(f"{API}/registrations/seekers", json=body, headers={"Accept-Language": "en"})
    assert german.status_code == english.status_code == 422
    assert german.json()["title"] == "Ungültige Eingabe"
    assert german.json()["errors"] == [
        {
            "field": "consents.data_processing",
            "message": "Bitte stimmen Sie der Verarbeitung Ihrer Daten zu.",
            "type": "consent_required",
        }
    ]
    assert english.json()["errors"][0]["message"] == "Please agree to the processing of your data."


def _without(body: dict, key: str) -> dict:
    return {k: v for k, v in body.items() if k != key}


BAD_INPUTS = [
    (
        "seekers",
        lambda: seeker_body(consents={"privacy": True, "withdrawal": True, "terms": True}),
        "consents.data_processing",
    ),
    (
        "seekers",
        lambda: seeker_body(consents={"privacy": True, "withdrawal": False, "terms": True, "data_processing": True}),
        "consents.withdrawal",
    ),
    ("seekers", lambda: seeker_body(postcode="00000"), "postcode"),
    ("seekers", lambda: seeker_body(postcode="3715"), "postcode"),
    ("seekers", lambda: seeker_body(password="passwort123"), "password"),
    ("seekers", lambda: seeker_body(password="kurz"), "password"),
    ("seekers", lambda: seeker_body(email="erika(at)beispiel"), "email"),
    ("seekers", lambda: _without(seeker_body(), "email"), "email"),
    ("seekers", lambda: seeker_body(introduction="x" * 1001), "introduction"),
    ("seekers", lambda: seeker_body(name="n" * 201), "name"),
    ("seekers", lambda: seeker_body(phone="bitte anrufen"), "phone"),
    ("seekers", lambda: seeker_body(needs=["flying"]), "needs.0"),
    ("seekers", lambda: seeker_body(time_windows=[{"weekday": 2, "start": "10:00", "end": "09:00"}]), "time_windows.0"),
    (
        "assistants",
        lambda: assistant_body(
            availability=[
                {"weekday": 3, "start": "08:00", "end": "12:00"},
                {"weekday": 3, "start": "11:00", "end": "13:00"},
            ]
        ),
        "availability",
    ),
    ("assistants", lambda: assistant_body(radius_km=0), "radius_km"),
    ("assistants", lambda: assistant_body(activities=[]), "activities"),
    ("assistants", lambda: assistant_body(self_employed=False), "organisation_id"),
    ("assistants", lambda: assistant_body(organisation_id=str(uuid.uuid4())), "organisation_id"),
    ("assistants", lambda: assistant_body(traits=["tall"]), "traits.0"),
]


async def stored_rows(engine) -> dict[str, int]:
    tables = [accounts, credentials, event_store, outbox, person_keys, idempotency_keys]
    async with engine.connect() as conn:
        return {t.name: await conn.scalar(select(func.count()).select_from(t)) for t in tables}


@pytest.mark.parametrize("kind, make_body, field", BAD_INPUTS)
async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_stored(client, engine, kind, make_body, field):
    before = await stored_rows(engine)
    response = await client.post(
        f"{API}/registrations/{kind}", json=make_body(), headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    if field in ("postcode", "phone", "availability"):  # our own messages read plainly
        assert not any(e["message"].startswith("Value error") for e in response.json()["errors"])
    assert await stored_rows(engine) == before


async def test_organisations_are_listed_for_the_sign_up_form(client, identity_issuer, kafka_bootstrap):
    provider = await create_provider(client, identity_issuer, name=f"Anbieter {uuid.uuid4().hex[:6]}")
    [created] = await published(
        kafka_bootstrap, provider, until={"OrganisationCreated"}, topic="identity.organisation.v1"
    )
    assert created.payload["kind"] == "service_provider" and created.payload["postcode"] == "37154"
    listed = (await client.get(f"{API}/organisations", params={"kind": "service_provider"})).json()
    assert provider in [o["id"] for o in listed]
    lat, lon = postcodes.lookup("37154")
    assert (await client.get(f"{API}/postcodes/37154")).json() == {"postcode": "37154", "lat": lat, "lon": lon}
    assert (await client.get(f"{API}/postcodes/99999")).status_code == 404
    catalogue = (await client.get(f"{API}/catalogue")).json()
    assert {"shopping", "walks"} <= {a["code"] for a in catalogue["activities"]}


async def test_concurrent_sign_ups_with_one_e_mail_address_create_one_account(client, engine):
    email = seeker_body()["email"]
    responses = await asyncio.gather(
        *(client.post(f"{API}/registrations/seekers", json=seeker_body(email=email)) for _ in range(4))
    )
    assert [r.status_code for r in responses] == [202] * 4
    async with engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(accounts).where(accounts.c.email == email)) == 1
