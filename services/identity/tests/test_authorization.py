"""Every endpoint checks role and ownership: the wrong role gets 403, someone else's account 404."""

import uuid

import httpx
import pytest
from identity_support import (
    API,
    SERVICE_SECRET,
    active_seeker,
    admin,
    assistant_body,
    create_provider,
    register,
    seeker_body,
    verify_and_activate,
)

from teilhabe_kit.testing import bearer

ADMIN_ONLY = [
    ("POST", "/accounts/{id}/activation", None),
    ("POST", "/accounts/{id}/refusal", {"reason": "x"}),
    ("POST", "/accounts/{id}/lock", {"reason": "x"}),
    ("POST", "/accounts/{id}/unlock", None),
    ("DELETE", "/accounts/{id}/membership", None),
    ("POST", "/accounts/{id}/restore", None),
    ("POST", "/accounts/{id}/invitation", None),
    ("POST", "/accounts/{id}/guardians", {"guardian_id": "g", "birth_date": "2012-01-01"}),
    ("DELETE", "/accounts/{id}/guardians/g", None),
    ("POST", "/admin/jobs/run", None),
    ("GET", "/accounts/{id}/history", None),
    ("POST", "/staff", {"role": "admin", "name": "A", "email": "a@beispiel.de"}),
    ("POST", "/organisations", {"kind": "facility", "name": "F", "postcode": "37154"}),
]
OWNER_ONLY = [
    ("PUT", "/accounts/{id}/contact", {"name": "N", "email": "n@beispiel.de"}),
    ("PUT", "/accounts/{id}/login-name", {"login_name": "fremder-name"}),
    ("PUT", "/accounts/{id}/needs", {"activities": ["shopping"]}),
    ("PUT", "/accounts/{id}/ranges", {"ranges": []}),
    ("PUT", "/accounts/{id}/place", {"postcode": "37154"}),
    ("POST", "/accounts/{id}/deletion", None),
    ("GET", "/accounts/{id}", None),
    ("GET", "/accounts/{id}/data-export", None),
]


@pytest.fixture(scope="module")
async def seeker(identity_app, identity_issuer):
    async with httpx.AsyncClient(base_url=identity_app[1]) as client:
        return await register(client, "seekers", seeker_body(), identity_issuer)


@pytest.mark.parametrize("method, path, body", ADMIN_ONLY)
async def test_admin_endpoints_refuse_other_roles_and_anonymous_callers(
    client, identity_issuer, seeker, method, path, body
):
    url = API + path.format(id=seeker)
    for roles in (("seeker",), ("assistant",), ("coordinator",), ("guardian",), ("counselor",)):
        headers = bearer(identity_issuer, seeker, *roles, organisation_id=str(uuid.uuid4()))
        response = await client.request(method, url, json=body, headers=headers)
        assert response.status_code == 403, (roles, response.text)
    assert (await client.request(method, url, json=body)).status_code == 401


@pytest.mark.parametrize("method, path, body", OWNER_ONLY)
async def test_owner_endpoints_hide_other_peoples_accounts(client, identity_issuer, seeker, method, path, body):
    url = API + path.format(id=seeker)
    stranger = bearer(identity_issuer, str(uuid.uuid4()), "seeker")
    assert (await client.request(method, url, json=body, headers=stranger)).status_code == 404
    coordinator = bearer(identity_issuer, str(uuid.uuid4()), "coordinator", organisation_id=str(uuid.uuid4()))
    assert (await client.request(method, url, json=body, headers=coordinator)).status_code == 404
    former_guardian = bearer(identity_issuer, str(uuid.uuid4()), "guardian", acting_for=[str(uuid.uuid4())])
    assert (await client.request(method, url, json=body, headers=former_guardian)).status_code == 404
    assert (await client.request(method, url, json=body)).status_code == 401


async def test_profile_changes_are_for_the_owner_not_even_for_admins(client, identity_issuer, seeker):
    response = await client.put(
        f"{API}/accounts/{seeker}/needs", json={"activities": ["shopping"]}, headers=admin(identity_issuer)
    )
    assert response.status_code == 404


async def test_verification_is_for_admins_and_the_assistants_own_provider(client, identity_issuer, seeker):
    step = {"step": "intro_call", "reason": "x"}
    for roles in (("seeker",), ("assistant",), ("guardian",)):
        headers = bearer(identity_issuer, seeker, *roles)
        assert (
            await client.post(f"{API}/accounts/{seeker}/verification-steps", json=step, headers=headers)
        ).status_code == 403
        assert (await client.get(f"{API}/accounts/{seeker}/verification", headers=headers)).status_code == 403
    coordinator = bearer(identity_issuer, "c", "coordinator", organisation_id=str(uuid.uuid4()))
    assert (await client.get(f"{API}/accounts/{seeker}/verification", headers=coordinator)).status_code == 404


async def test_contact_data_only_for_admins_and_the_person(client, identity_issuer):
    provider = await create_provider(client, identity_issuer)
    assistant = await register(client, "assistants", assistant_body(provider), identity_issuer)
    coordinator = bearer(identity_issuer, "coord", "coordinator", organisation_id=provider)
    seen = await client.get(f"{API}/accounts/{assistant}", headers=coordinator)
    assert seen.status_code == 200 and seen.json()["contact"] is None and seen.json()["name"] == "Max Helfer"
    assert (await client.get(f"{API}/accounts/{assistant}", headers=admin(identity_issuer))).json()["contact"]["email"]
    assert (
        await client.get(f"{API}/accounts/{assistant}", headers=bearer(identity_issuer, assistant, "assistant"))
    ).json()["contact"]


async def test_account_search_for_admins_and_coordinators_of_their_provider(client, identity_issuer):
    provider = await create_provider(client, identity_issuer)
    marker = uuid.uuid4().hex[:8]
    ids = [
        await register(client, "assistants", assistant_body(provider, name=f"Helfer {marker} {i}"), identity_issuer)
        for i in range(3)
    ]
    seeker_id = await register(client, "seekers", seeker_body(name=f"Suchende {marker}"), identity_issuer)
    headers = admin(identity_issuer)
    page = (await client.get(f"{API}/accounts", params={"q": marker, "limit": 2}, headers=headers)).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    rest = (await client.get(f"{API}/accounts", params={"q": marker, "limit": 2, "offset": 2}, headers=headers)).json()
    assert {i["id"] for i in page["items"] + rest["items"]} == {*ids, seeker_id}
    seekers = (
        await client.get(
            f"{API}/accounts", params={"q": marker, "role": "seeker", "status": "pending_verification"}, headers=headers
        )
    ).json()
    assert [i["id"] for i in seekers["items"]] == [seeker_id] and seekers["items"][0]["contact"]["email"]

    coordinator = bearer(identity_issuer, "coord", "coordinator", organisation_id=provider)
    theirs = (await client.get(f"{API}/accounts", params={"role": "seeker"}, headers=coordinator)).json()
    assert {i["id"] for i in theirs["items"]} == set(ids)  # only their assistants, whatever is asked
    assert all(i["contact"] is None for i in theirs["items"])
    assert (await client.get(f"{API}/accounts", headers=bearer(identity_issuer, "s", "seeker"))).status_code == 403
    bad = await client.get(f"{API}/accounts", params={"limit": 1000}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("path", ["/internal/accounts/{id}/contact", "/internal/accounts/{id}"])
async def test_internal_endpoints_need_a_service_credential_or_an_admin(client, identity_issuer, path):
    seeker_id, body, own = await active_seeker(client, identity_issuer)
    url = API + path.format(id=seeker_id)
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=own)).status_code == 403
    assert (await client.get(url, headers={"X-Service-Credential": "guess"})).status_code == 401
    assert (await client.get(url, headers={"X-Service-Credential": "gäss".encode()})).status_code == 401
    served = await client.get(url, headers={"X-Service-Credential": SERVICE_SECRET})
    assert served.status_code == 200 and served.json()["email"] == body["email"]
    assert (await client.get(url, headers=admin(identity_issuer))).status_code == 200


async def test_assistant_cards_show_only_active_assistants_and_no_contact(client, identity_issuer):
    seeker_id, _, own = await active_seeker(client, identity_issuer)
    pending = await register(client, "assistants", assistant_body(), identity_issuer)
    assert (await client.get(f"{API}/assistants/{pending}/card", headers=own)).status_code == 404
    await verify_and_activate(client, identity_issuer, pending)
    card = await client.get(f"{API}/assistants/{pending}/card", headers=own)
    assert card.status_code == 200 and card.json()["first_name"] == "Max" and "email" not in card.json()
    assert card.json()["place"]["lat"] == round(card.json()["place"]["lat"], 2)  # coarse, never an address
    assert (await client.get(f"{API}/assistants/{seeker_id}/card", headers=own)).status_code == 404
    assert (await client.get(f"{API}/assistants/{pending}/card")).status_code == 401


async def test_coordinators_find_an_active_seeker_only_by_exact_email_or_phone(client, identity_issuer):
    """Issue 18 (8): a coordinator creates an order for a seeker and finds them by what the person told."""
    seeker_id, body, own = await active_seeker(client, identity_issuer)
    coordinator = bearer(identity_issuer, f"coord-{uuid.uuid4().hex[:8]}", "coordinator", organisation_id="provider-1")
    url = f"{API}/seekers/lookup"
    found = await client.get(url, params={"login": f"  {body['email'].upper()} "}, headers=coordinator)
    assert found.status_code == 200, found.text
    assert found.json()["id"] == seeker_id and found.json()["needs"] == body["needs"]
    assert "email" not in found.json()  # the contact is not handed out
    part = body["email"].split("@")[0]
    assert (await client.get(url, params={"login": part}, headers=coordinator)).status_code == 404  # no browsing
    pending = seeker_body()
    await register(client, "seekers", pending, identity_issuer)
    assert (await client.get(url, params={"login": pending["email"]}, headers=coordinator)).status_code == 404
    assert (await client.get(url, params={"login": body["email"]}, headers=own)).status_code == 403  # a seeker
    lone = bearer(identity_issuer, f"coord-{uuid.uuid4().hex[:8]}", "coordinator")
    assert (await client.get(url, params={"login": body["email"]}, headers=lone)).status_code == 403  # no provider
    assert (await client.get(url, params={"login": body["email"]})).status_code == 401
