"""Clients in the counselors' workspace on the real stack: opened through identity, searched with
filters and bookmarks, master data, primary counselor (automatic where enabled, else by hand), notes,
direct messages; self-registered clients arrive from identity's events."""

from __future__ import annotations

import pytest
from counseling_support import PASSWORD, client_headers, client_login, eventually, new_centre, open_client, pseudonym


@pytest.fixture(scope="module")
async def centre(world, issuer):
    import httpx

    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        return await new_centre(identity, issuer)


async def enable(api, centre, **changes) -> None:
    body = {
        "automatic_primary_counselor": False,
        "filter_criteria": [{"key": "u25", "label": "unter 25"}, {"key": "schulden", "label": "Schulden"}],
    } | changes
    response = await api.put(f"/centres/{centre.id}/settings", json=body, headers=centre.admin)
    assert response.status_code == 200, response.text


async def test_open_search_and_profile(api, identity, centre):
    await enable(api, centre)
    made = await open_client(
        api,
        centre,
        email="ratsuchend@example.org",
        master_data={"gender": "female", "age_group": "18_26"},
        filters=["u25"],
    )
    assert made["initial_password"]
    client_id = made["client_id"]
    found = await api.get(
        f"/centres/{centre.id}/clients", params={"q": made["pseudonym"][-8:].upper()}, headers=centre.counselor
    )
    assert found.status_code == 200, found.text
    assert [c["client_id"] for c in found.json()["items"]] == [client_id]
    by_filter = await api.get(
        f"/centres/{centre.id}/clients", params={"filter": "u25", "q": made["pseudonym"]}, headers=centre.colleague
    )
    assert by_filter.json()["total"] == 1
    nothing = await api.get(
        f"/centres/{centre.id}/clients", params={"filter": "schulden", "q": made["pseudonym"]}, headers=centre.counselor
    )
    assert nothing.json() == {"items": [], "total": 0, "empty_text": "Nicht gefunden? Filter prüfen"}
    seen_by_counselor = (await api.get(f"/centres/{centre.id}/clients/{client_id}", headers=centre.counselor)).json()
    assert seen_by_counselor["contact"] is None and seen_by_counselor["master_data"]["gender"] == "female"
    seen_by_admin = (await api.get(f"/centres/{centre.id}/clients/{client_id}", headers=centre.admin)).json()
    assert seen_by_admin["contact"] == {"email": "ratsuchend@example.org", "phone": None}
    tokens = await client_login(identity, centre.id, made["pseudonym"], made["initial_password"])
    assert tokens["must_change_password"] is True
    me = await api.get("/me", headers=client_headers(tokens))
    assert me.status_code == 200 and me.json()["pseudonym"] == made["pseudonym"]


async def test_primary_counselor_automatic_and_by_hand(api, centre):
    await enable(api, centre, automatic_primary_counselor=True)
    made = await open_client(api, centre)
    row = (await api.get(f"/centres/{centre.id}/clients/{made['client_id']}", headers=centre.counselor)).json()
    assert row["primary_counselor_id"] == centre.counselor_id
    await enable(api, centre, automatic_primary_counselor=False)
    other = await open_client(api, centre)
    row = (await api.get(f"/centres/{centre.id}/clients/{other['client_id']}", headers=centre.counselor)).json()
    assert row["primary_counselor_id"] is None
    none = await api.get(
        f"/centres/{centre.id}/clients", params={"primary": "none", "q": other["pseudonym"]}, headers=centre.counselor
    )
    assert none.json()["total"] == 1
    profile = {"display_name": "Frau Beraterin", "internal": {"first_name": "Anna", "last_name": "Beispiel"}}
    assert (
        await api.put(f"/centres/{centre.id}/counselors/me", json=profile, headers=centre.colleague)
    ).status_code == 204
    set_by_hand = await api.put(
        f"/centres/{centre.id}/clients/{other['client_id']}/primary-counselor",
        json={"counselor_id": centre.colleague_id},
        headers=centre.counselor,
    )
    assert set_by_hand.status_code == 204, set_by_hand.text
    mine = await api.get(
        f"/centres/{centre.id}/clients", params={"primary": "me", "q": other["pseudonym"]}, headers=centre.colleague
    )
    assert mine.json()["total"] == 1
    stranger = await api.put(
        f"/centres/{centre.id}/clients/{other['client_id']}/primary-counselor",
        json={"counselor_id": "somebody-else"},
        headers=centre.counselor,
    )
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "counselor_id"


async def test_bookmarks_are_per_counselor(api, centre):
    made = await open_client(api, centre)
    path = f"/centres/{centre.id}/bookmarks/{made['client_id']}"
    assert (await api.put(path, headers=centre.counselor)).status_code == 204
    assert (await api.put(path, headers=centre.counselor)).status_code == 409
    mine = await api.get(f"/centres/{centre.id}/clients", params={"bookmarked": "true"}, headers=centre.counselor)
    assert made["client_id"] in [c["client_id"] for c in mine.json()["items"]]
    theirs = await api.get(f"/centres/{centre.id}/clients", params={"bookmarked": "true"}, headers=centre.colleague)
    assert made["client_id"] not in [c["client_id"] for c in theirs.json()["items"]]
    assert (await api.delete(path, headers=centre.counselor)).status_code == 204
    again = await api.get(f"/centres/{centre.id}/clients", params={"bookmarked": "true"}, headers=centre.counselor)
    assert made["client_id"] not in [c["client_id"] for c in again.json()["items"]]


async def test_notes_and_direct_messages(api, identity, centre):
    made = await open_client(api, centre)
    client_id = made["client_id"]
    added = await api.post(
        f"/centres/{centre.id}/clients/{client_id}/notes", json={"text": "Erstgespräch"}, headers=centre.counselor
    )
    assert added.status_code == 201, added.text
    await api.post(
        f"/centres/{centre.id}/clients/{client_id}/notes", json={"text": "Zweites"}, headers=centre.colleague
    )
    listed = (await api.get(f"/centres/{centre.id}/clients/{client_id}/notes", headers=centre.counselor)).json()
    assert [n["text"] for n in listed] == ["Zweites", "Erstgespräch"]
    note_id = added.json()["note_id"]
    refused = await api.delete(f"/centres/{centre.id}/clients/{client_id}/notes/{note_id}", headers=centre.colleague)
    assert refused.status_code == 404
    assert (
        await api.delete(f"/centres/{centre.id}/clients/{client_id}/notes/{note_id}", headers=centre.counselor)
    ).status_code == 204
    message = {"subject": "Ihr Termin", "body": "Bitte melden Sie sich."}
    by_counselor = await api.post(
        f"/centres/{centre.id}/clients/{client_id}/messages", json=message, headers=centre.counselor
    )
    assert by_counselor.status_code == 403
    sent = await api.post(f"/centres/{centre.id}/clients/{client_id}/messages", json=message, headers=centre.admin)
    assert sent.status_code == 201, sent.text
    tokens = await client_login(identity, centre.id, made["pseudonym"], made["initial_password"])
    inbox = (await api.get("/me/messages", headers=client_headers(tokens))).json()
    assert [(m["subject"], m["body"]) for m in inbox] == [("Ihr Termin", "Bitte melden Sie sich.")]


async def test_a_self_registered_client_arrives_from_identity(api, identity, centre, world):
    name = pseudonym()
    registered = await identity.post(
        f"/centres/{centre.id}/client-registrations",
        json={"pseudonym": name, "password": PASSWORD, "consents": {"privacy": True}},
    )
    assert registered.status_code == 201, registered.text

    async def known() -> bool:
        found = await api.get(f"/centres/{centre.id}/clients", params={"q": name}, headers=centre.counselor)
        return found.json()["total"] == 1

    await eventually(known)
    tokens = await client_login(identity, centre.id, name, PASSWORD)
    me = await api.get("/me", headers=client_headers(tokens))
    assert me.status_code == 200 and me.json()["pseudonym"] == name
