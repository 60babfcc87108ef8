"""Helpers for identity's tests: valid sign-up bodies and a registered, verified, active account."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx

from teilhabe_events.envelope import EventEnvelope
from teilhabe_kit.auth import TokenIssuer
from teilhabe_kit.testing import bearer, envelopes_on

API = "/api/v1/identity"
SERVICE_SECRET = "test-service-credential"
PASSWORD = "Blauer-Himmel-über-Northeim-7"
CONSENTS = {"privacy": True, "withdrawal": True, "terms": True, "data_processing": True}


def unique_email() -> str:
    return f"person-{uuid.uuid4().hex[:10]}@beispiel.de"


def unique_address() -> dict[str, str]:
    """A client address of its own (via the trusted loopback proxy), so throttles do not mix."""
    return {"X-Forwarded-For": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}


def seeker_body(**overrides) -> dict:
    return {
        "name": "Erika Mustermann",
        "email": unique_email(),
        "postcode": "37154",
        "introduction": "Ich suche Begleitung zum Arzt.",
        "consents": dict(CONSENTS),
        "password": PASSWORD,
        "needs": ["accompany_appointments", "shopping"],
        "time_windows": [{"weekday": 0, "start": "09:00", "end": "12:00"}],
    } | overrides


def assistant_body(organisation_id: str | None = None, **overrides) -> dict:
    body = {
        "name": "Max Helfer",
        "email": unique_email(),
        "phone": f"0151{uuid.uuid4().int % 10**8:08d}",
        "postcode": "37073",
        "introduction": "Ich helfe gern beim Einkaufen.",
        "consents": dict(CONSENTS),
        "password": PASSWORD,
        "activities": ["shopping", "walks"],
        "availability": [
            {"weekday": 1, "start": "08:00", "end": "12:00"},
            {"weekday": 1, "start": "14:00", "end": "18:00"},
        ],
        "radius_km": 15,
        "traits": ["driving_licence", "language_de"],
    }
    body |= {"organisation_id": organisation_id} if organisation_id else {"self_employed": True}
    return body | overrides


def admin(issuer: TokenIssuer) -> dict[str, str]:
    return bearer(issuer, f"admin-{uuid.uuid4().hex[:8]}", "admin")


async def create_provider(
    client: httpx.AsyncClient, issuer: TokenIssuer, name: str = "Assistenz Northeim gGmbH"
) -> str:
    response = await client.post(
        f"{API}/organisations",
        json={"kind": "service_provider", "name": name, "postcode": "37154"},
        headers=admin(issuer),
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def register(client: httpx.AsyncClient, kind: str, body: dict, issuer: TokenIssuer) -> str:
    """Sign up (202, the same answer for known contacts) and find the new account as customer service does."""
    response = await client.post(f"{API}/registrations/{kind}", json=body)
    assert response.status_code == 202, response.text
    login_name = body.get("email") or body["phone"]
    found = await client.get(f"{API}/accounts", params={"q": login_name}, headers=admin(issuer))
    [account] = found.json()["items"]
    return account["id"]


async def verify_and_activate(client: httpx.AsyncClient, issuer: TokenIssuer, account_id: str) -> None:
    headers = admin(issuer)
    missing = (await client.get(f"{API}/accounts/{account_id}/verification", headers=headers)).json()["missing"]
    for step in missing:
        response = await client.post(
            f"{API}/accounts/{account_id}/verification-steps",
            json={"step": step, "reason": f"{step} geprüft"},
            headers=headers,
        )
        assert response.status_code == 201, response.text
    response = await client.post(f"{API}/accounts/{account_id}/activation", headers=headers)
    assert response.status_code == 200, response.text


async def login(client: httpx.AsyncClient, login_name: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(
        f"{API}/auth/login", json={"login": login_name, "password": password}, headers=unique_address()
    )


async def active_seeker(client, issuer) -> tuple[str, dict, dict[str, str]]:
    """A verified, active seeker: (account id, sign-up body, bearer headers from a real login)."""
    body = seeker_body()
    account_id = await register(client, "seekers", body, issuer)
    await verify_and_activate(client, issuer, account_id)
    tokens = (await login(client, body["email"])).json()
    return account_id, body, {"Authorization": f"Bearer {tokens['access_token']}"}


ACCOUNT_TOPIC = "identity.account.v1"
ORGANISATION_TOPIC = "identity.organisation.v1"


async def published(
    bootstrap: str,
    stream_id: str,
    *,
    until: set[str],
    count: int = 0,
    topic: str = ACCOUNT_TOPIC,
    timeout_s: float = 30,
    where: Callable[[EventEnvelope], bool] | None = None,
):
    """The public envelopes of one stream on Kafka (those matching `where`), read until every type
    in `until` (and at least `count` events) were seen."""
    return await envelopes_on(bootstrap, topic, stream_id, until=until, count=count, where=where, timeout_s=timeout_s)
