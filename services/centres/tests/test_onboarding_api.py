"""Onboarding over the API: interest → agreement → profile → listed, functions, seats, history."""

from __future__ import annotations

import uuid
from datetime import date

from centres_support import in_finder, profile_body, record_interest
from sqlalchemy import text


async def test_a_centre_is_listed_after_the_agreement_and_a_complete_profile(client, admin):
    centre_id = await record_interest(client, admin, "Suchtberatung Kassel", "34117")
    first = (await client.get(f"/centres/{centre_id}", headers=admin)).json()
    assert (first["status"], first["missing"], first["version"]) == ("interested", ["profile"], 1)

    profile = await client.put(f"/centres/{centre_id}/profile", json=profile_body(), headers=admin)
    assert profile.json()["status"] == "interested"  # no agreement yet: not listed
    assert (await client.get(f"/directory/{centre_id}")).status_code == 404

    signed = await client.put(
        f"/centres/{centre_id}/agreement",
        json={"version": "2026-1", "signed_on": date.today().isoformat(), "signatory": "Dora Direktorin"},
        headers=admin,
    )
    assert signed.status_code == 200
    body = signed.json()
    assert body["status"] == "listed"
    assert body["agreement"] == {
        "version": "2026-1",
        "signed_on": date.today().isoformat(),
        "signatory": "Dora Direktorin",
    }
    public = await in_finder(client, centre_id)
    assert public["provider"] == "Diakonie Göttingen" and "signatory" not in str(public)


async def test_the_signatory_is_sealed_in_the_event_store(service, client, admin):
    centre_id = await record_interest(client, admin)
    await client.put(
        f"/centres/{centre_id}/agreement",
        json={"version": "2026-1", "signed_on": "2026-01-15", "signatory": "Siegfried Geheim"},
        headers=admin,
    )
    async with service.engine.connect() as conn:
        stored = await conn.scalar(
            text("SELECT string_agg(payload::text, ' ') FROM event_store WHERE stream_id = :id"), {"id": centre_id}
        )
        published = await conn.scalar(
            text(
                "SELECT count(*) FROM outbox WHERE key = :id AND position('Siegfried' in encode(value, 'escape')) > 0"
            ),
            {"id": centre_id},
        )
        outboxed = await conn.scalar(text("SELECT count(*) FROM outbox WHERE key = :id"), {"id": centre_id})
    assert "Siegfried" not in stored and "2026-01-15" in stored
    assert published == 0 and outboxed == 2  # interest and agreement; the signatory event stays inside


async def test_functions_and_seats(client, admin):
    name = f"Seats {uuid.uuid4().hex[:8]}"
    centre_id = await record_interest(client, admin, name)
    functions = await client.put(f"/centres/{centre_id}/functions", json={"functions": ["appointments"]}, headers=admin)
    assert functions.json()["functions"] == ["directory", "appointments"]
    seats = await client.put(f"/centres/{centre_id}/seats", json={"seats": 7}, headers=admin)
    assert seats.json()["seats"] == 7
    listing = (await client.get("/centres", params={"q": name}, headers=admin)).json()
    mine = [c for c in listing["items"] if c["centre_id"] == centre_id]
    assert mine and mine[0]["seats"] == 7 and mine[0]["functions"] == ["directory", "appointments"]


async def test_history_says_who_changed_what_when(client, admin, as_):
    centre_id = await record_interest(client, admin)
    await client.put(
        f"/centres/{centre_id}/agreement",
        json={"version": "2026-1", "signed_on": "2026-01-15", "signatory": "Dora Direktorin"},
        headers=admin,
    )
    centre_admin = as_("ca-history", "centre_admin", organisation_id=centre_id)
    body = profile_body()
    await client.put(f"/centres/{centre_id}/profile", json=body, headers=admin)
    await client.put(f"/centres/{centre_id}/profile", json=body | {"languages": ["de", "ar"]}, headers=centre_admin)
    entries = (await client.get(f"/centres/{centre_id}/history", headers=centre_admin)).json()
    newest = entries[0]
    assert (newest["actor_id"], newest["event_type"], newest["changed"]) == (
        "ca-history",
        "CentreProfileChanged",
        ["languages"],
    )
    assert [e["event_type"] for e in reversed(entries)] == [
        "CentreInterestRecorded",
        "ProcessingAgreementSigned",
        "SignatoryRecorded",
        "CentreProfileChanged",
        "CentreListed",
        "CentreProfileChanged",
    ]


async def test_delist_and_list_again(client, admin, as_):
    centre_id = await record_interest(client, admin)
    await client.put(
        f"/centres/{centre_id}/agreement",
        json={"version": "1", "signed_on": "2026-01-15", "signatory": "D"},
        headers=admin,
    )
    await client.put(f"/centres/{centre_id}/profile", json=profile_body(), headers=admin)
    await in_finder(client, centre_id)
    centre_admin = as_("ca-delist", "centre_admin", organisation_id=centre_id)
    delisted = await client.post(f"/centres/{centre_id}/delist", headers=centre_admin)
    assert delisted.json()["status"] == "delisted"
    changed = await client.put(f"/centres/{centre_id}/profile", json=profile_body(), headers=centre_admin)
    assert changed.json()["status"] == "delisted"  # a profile change does not list it again by itself
    relisted = await client.post(f"/centres/{centre_id}/list", headers=centre_admin)
    assert relisted.json()["status"] == "listed"


async def test_list_again_needs_a_complete_profile(client, admin):
    centre_id = await record_interest(client, admin)
    refused = await client.post(f"/centres/{centre_id}/list", headers=admin)
    assert refused.status_code == 409


async def test_idempotent_interest(client, admin):
    key = {"Idempotency-Key": "interest-once-" + str(id(client))}
    body = {"name": "Einmal-Beratung", "postcode": "37073"}
    first = await client.post("/centres", json=body, headers=admin | key)
    again = await client.post("/centres", json=body, headers=admin | key)
    assert first.status_code == again.status_code == 201
    assert first.json()["centre_id"] == again.json()["centre_id"]


async def test_stale_if_match_is_refused(client, admin):
    centre_id = await record_interest(client, admin)
    version = (await client.get(f"/centres/{centre_id}", headers=admin)).json()["version"]
    await client.put(f"/centres/{centre_id}/seats", json={"seats": 3}, headers=admin)
    stale = await client.put(
        f"/centres/{centre_id}/profile", json=profile_body(), headers=admin | {"If-Match": str(version)}
    )
    assert stale.status_code == 409
