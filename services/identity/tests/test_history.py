"""A person's history for data-subject requests: every event of the account, oldest first, with
who acted and the recorded reasons, but no other personal field; admins only."""

from identity_support import API, active_seeker, admin, unique_email

from teilhabe_kit.testing import bearer


async def test_admins_read_a_persons_history_without_personal_fields(client, identity_issuer):
    account_id, body, own = await active_seeker(client, identity_issuer)
    created = await client.post(
        f"{API}/staff",
        json={"role": "admin", "name": "Ada Kundendienst", "email": unique_email()},
        headers=admin(identity_issuer),
    )
    customer_service = bearer(identity_issuer, created.json()["account_id"], "admin")
    changed = await client.put(
        f"{API}/accounts/{account_id}/contact",
        headers=own,
        json={"name": "Erika Neu-Mustermann", "email": body["email"]},
    )
    assert changed.status_code == 200, changed.text
    locked = await client.post(
        f"{API}/accounts/{account_id}/lock", json={"reason": "Auf Wunsch vorübergehend"}, headers=customer_service
    )
    assert locked.status_code == 200, locked.text

    response = await client.get(f"{API}/accounts/{account_id}/history", headers=customer_service)
    assert response.status_code == 200, response.text
    entries = response.json()
    assert [e["event_type"] for e in entries] == [
        "Registered",
        "StepRecorded",
        "StepRecorded",
        "Activated",
        "ContactChanged",
        "Locked",
    ]
    assert [e["version"] for e in entries] == list(range(1, 7))
    registered, step, _, _, contact, lock = entries
    assert registered["actor_role"] == "self" and registered["details"] == {"role": "seeker"}
    assert step["actor_role"] == "system" and step["reason"].endswith("geprüft") and "step" in step["details"]
    assert contact["actor_role"] == "self" and contact["reason"] is None and contact["details"] == {}
    assert lock["actor_role"] == "admin" and lock["reason"] == "Auf Wunsch vorübergehend"
    text = response.text
    assert "Erika" not in text and body["email"] not in text and "Arzt" not in text and "37154" not in text

    assert (await client.get(f"{API}/accounts/unknown-account/history", headers=customer_service)).status_code == 404
    another_seeker = bearer(identity_issuer, f"seeker-{account_id}", "seeker")
    assert (await client.get(f"{API}/accounts/{account_id}/history", headers=another_seeker)).status_code == 403
    assert (await client.get(f"{API}/accounts/{account_id}/history", headers=own)).status_code == 401  # locked
