"""Owners change their profiles; each change is a public event matching can project."""

from datetime import date, timedelta

import jwt
from identity_support import (
    API,
    PASSWORD,
    SERVICE_SECRET,
    active_seeker,
    admin,
    assistant_body,
    login,
    published,
    register,
    verify_and_activate,
)

from identity.app.erasure import run_due_jobs
from identity.domain.rules import guardian_access_ends
from teilhabe_kit import postcodes
from teilhabe_kit.testing import bearer


async def active_assistant(client, issuer):
    body = assistant_body()
    account_id = await register(client, "assistants", body, issuer)
    await verify_and_activate(client, issuer, account_id)
    tokens = (await login(client, body["email"])).json()
    return account_id, body, {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_assistant_profile_changes_are_published(client, identity_issuer, kafka_bootstrap):
    account_id, _, headers = await active_assistant(client, identity_issuer)
    base = f"{API}/accounts/{account_id}"
    assert (
        await client.put(f"{base}/activities", json={"activities": ["reading_aloud"]}, headers=headers)
    ).status_code == 200
    ranges = [{"weekday": 4, "start": "10:00", "end": "11:30"}]
    assert (await client.put(f"{base}/ranges", json={"ranges": ranges}, headers=headers)).status_code == 200
    assert (
        await client.put(f"{base}/place", json={"postcode": "10115", "radius_km": 5}, headers=headers)
    ).status_code == 200
    assert (await client.put(f"{base}/traits", json={"traits": ["non_smoker"]}, headers=headers)).status_code == 200
    contact = {"name": "Max Neu", "email": f"neu-{account_id[:8]}@beispiel.de", "introduction": "Neu hier."}
    assert (await client.put(f"{base}/contact", json=contact, headers=headers)).status_code == 200

    me = (await client.get(f"{API}/me", headers=headers)).json()
    assert me["activities"] == ["reading_aloud"] and me["postcode"] == "10115" and me["name"] == "Max Neu"
    assert me["contact"]["email"] == contact["email"]

    # sign-up: 5 events, 5 steps, activation; then 4 profile changes (the contact change stays inside)
    events = await published(kafka_bootstrap, account_id, until={"AccountActivated"}, count=15)
    assert len(events) == 15
    latest = {env.event_type: env.payload for env in events}
    lat, lon = postcodes.lookup("10115")
    assert latest["ActivitiesChanged"] == {"activities": ["reading_aloud"]}
    assert latest["AvailabilityChanged"] == {"ranges": [{"weekday": 4, "start": "10:00:00", "end": "11:30:00"}]}
    assert latest["PlaceChanged"] == {"place": {"lat": round(lat, 2), "lon": round(lon, 2)}, "radius_km": 5.0}
    assert latest["TraitsChanged"] == {"traits": ["non_smoker"]}
    assert "Max Neu" not in str([e.payload for e in events])
    versions = [e.stream_version for e in events]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


async def test_seeker_needs_and_time_windows_stay_inside_identity(client, identity_issuer, kafka_bootstrap):
    account_id, _, headers = await active_seeker(client, identity_issuer)
    base = f"{API}/accounts/{account_id}"
    assert (await client.put(f"{base}/needs", json={"activities": ["household"]}, headers=headers)).status_code == 200
    assert (await client.put(f"{base}/ranges", json={"ranges": []}, headers=headers)).status_code == 200
    assert (await client.put(f"{base}/place", json={"postcode": "37073"}, headers=headers)).status_code == 200
    assert (await client.put(f"{base}/traits", json={"traits": ["non_smoker"]}, headers=headers)).status_code == 409
    assert (
        await client.put(f"{base}/activities", json={"activities": ["household"]}, headers=headers)
    ).status_code == 409
    radius = await client.put(f"{base}/place", json={"postcode": "37073", "radius_km": 3}, headers=headers)
    assert radius.status_code == 422 and radius.json()["errors"][0]["field"] == "radius_km"
    events = await published(kafka_bootstrap, account_id, until={"PlaceChanged", "AccountActivated"})
    assert {e.event_type for e in events} == {
        "AccountRegistered",
        "PlaceChanged",
        "VerificationStepCompleted",
        "AccountActivated",
    }
    assert (await client.get(f"{API}/me", headers=headers)).json()["activities"] == ["household"]
    export = (await client.get(f"{API}/accounts/{account_id}/data-export", headers=headers)).json()
    assert export["account"]["activities"] == ["household"] and len(export["account"]["consents"]) == 4
    assert {s["step"] for s in export["verification_steps"]} == {"intro_call", "id_document"}


async def test_bad_profile_input_is_refused_naming_the_field(client, identity_issuer):
    account_id, _, headers = await active_assistant(client, identity_issuer)
    base = f"{API}/accounts/{account_id}"
    overlapping = [{"weekday": 0, "start": "08:00", "end": "10:00"}, {"weekday": 0, "start": "09:00", "end": "11:00"}]
    response = await client.put(f"{base}/ranges", json={"ranges": overlapping}, headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ranges"
    response = await client.put(f"{base}/place", json={"postcode": "00001"}, headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "postcode"
    response = await client.put(
        f"{base}/contact", json={"name": "X", "introduction": "y" * 1001, "email": "a@b.de"}, headers=headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "introduction"
    response = await client.put(f"{base}/contact", json={"name": "X"}, headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "email"


async def test_a_guardian_acts_for_a_minor(client, identity_issuer, kafka_bootstrap):
    ward_id, _, _ = await active_seeker(client, identity_issuer)
    guardian = await client.post(
        f"{API}/staff",
        json={"role": "guardian", "name": "Gerda Vormund", "email": f"vormund-{ward_id[:8]}@beispiel.de"},
        headers=admin(identity_issuer),
    )
    guardian_id = guardian.json()["account_id"]
    assigned = await client.post(
        f"{API}/accounts/{ward_id}/guardians",
        json={"guardian_id": guardian_id, "birth_date": "2012-04-02"},
        headers=admin(identity_issuer),
    )
    assert assigned.status_code == 201 and assigned.json()["acts_until"] == "2030-05-02"
    not_a_guardian = await client.post(
        f"{API}/accounts/{ward_id}/guardians",
        json={"guardian_id": ward_id, "birth_date": "2012-04-02"},
        headers=admin(identity_issuer),
    )
    assert not_a_guardian.status_code == 422 and not_a_guardian.json()["errors"][0]["field"] == "guardian_id"

    reached = await client.get(
        f"{API}/internal/accounts/{ward_id}/contact", headers={"X-Service-Credential": SERVICE_SECRET}
    )
    assert reached.json() == {"email": f"vormund-{ward_id[:8]}@beispiel.de", "phone": None, "via_guardian": guardian_id}
    acting = bearer(identity_issuer, guardian_id, "guardian", acting_for=[ward_id])
    assert (
        await client.put(f"{API}/accounts/{ward_id}/needs", json={"activities": ["leisure"]}, headers=acting)
    ).status_code == 200
    assert (await client.get(f"{API}/accounts/{ward_id}", headers=acting)).json()["contact"] is not None

    events = await published(kafka_bootstrap, ward_id, until={"GuardianAssigned"})
    assert [e.payload for e in events if e.event_type == "GuardianAssigned"] == [
        {"guardian_id": guardian_id, "acts_until": "2030-05-02"}
    ]
    # the guardian signs in (after setting a password through the invitation) acting for the ward
    request_id = (await client.post(f"{API}/accounts/{guardian_id}/invitation", headers=admin(identity_issuer))).json()[
        "request_id"
    ]
    link = (
        await client.post(f"{API}/internal/password-resets/{request_id}/delivery", headers=admin(identity_issuer))
    ).json()
    await client.post(f"{API}/auth/password-reset/confirm", json={"token": link["token"], "password": PASSWORD})
    claims = jwt.decode(
        (await login(client, link["email"])).json()["access_token"], options={"verify_signature": False}
    )
    assert claims["roles"] == ["guardian"] and claims["acting_for"] == [ward_id]

    ended = await client.delete(f"{API}/accounts/{ward_id}/guardians/{guardian_id}", headers=admin(identity_issuer))
    assert ended.status_code == 204
    claims = jwt.decode(
        (await login(client, link["email"])).json()["access_token"], options={"verify_signature": False}
    )
    assert claims["acting_for"] == []
    reached = await client.get(
        f"{API}/internal/accounts/{ward_id}/contact", headers={"X-Service-Credential": SERVICE_SECRET}
    )
    assert reached.json()["via_guardian"] is None


async def test_the_daily_job_ends_guardianship_30_days_after_the_18th_birthday(
    client, identity_issuer, engine, kafka_bootstrap
):
    ward_id, _, _ = await active_seeker(client, identity_issuer)
    guardian = await client.post(
        f"{API}/staff",
        json={"role": "guardian", "name": "Gerd Vormund", "email": f"gerd-{ward_id[:8]}@beispiel.de"},
        headers=admin(identity_issuer),
    )
    guardian_id = guardian.json()["account_id"]
    today = date.today()
    birth, hand_over = birth_date_with_hand_over_soon(today)
    assigned = await client.post(
        f"{API}/accounts/{ward_id}/guardians",
        json={"guardian_id": guardian_id, "birth_date": birth.isoformat()},
        headers=admin(identity_issuer),
    )
    assert assigned.json()["acts_until"] == hand_over.isoformat()
    assert (await run_due_jobs(engine, hand_over - timedelta(days=1))).guardianships_ended.count(
        (ward_id, guardian_id)
    ) == 0
    assert (ward_id, guardian_id) in (await run_due_jobs(engine, hand_over)).guardianships_ended
    events = await published(kafka_bootstrap, ward_id, until={"GuardianshipEnded"})
    assert events[-1].payload == {"guardian_id": guardian_id}


def birth_date_with_hand_over_soon(today: date) -> tuple[date, date]:
    """A birth date whose guardian access ends within days after `today`, and that day."""
    for ahead in range(1, 4):
        target = today + timedelta(days=ahead)
        start = date(target.year - 19, 1, 1)
        for offset in range(800):
            if guardian_access_ends(birth := start + timedelta(days=offset)) == target:
                return birth, target
    raise AssertionError("no birth date found")
