"""Helpers of the contracts tests: identity's stand-in, publishing and reading events, small files."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI, Request
from fastapi.responses import Response

from teilhabe_events import encode, registry
from teilhabe_kit.testing import envelopes_on, publish_raw, sample_image

PASSWORD = "richtiges Passwort"


CREDENTIAL = "contracts-test-credential"
IDENTITY_CREDENTIAL = "identity-test-credential"
"""What identity sends to contracts (one of the service's CONTRACTS_SERVICE_CREDENTIALS in the tests)."""


def identity_stand_in(logouts: list[str]) -> FastAPI:
    """Identity's contact, sign-in and sign-out endpoints as contracts uses them (same paths and codes).
    Every account's login is ``<account id>@example.org``; its password is PASSWORD."""
    stand_in = FastAPI()

    @stand_in.get("/api/v1/identity/internal/accounts/{account_id}/contact")
    async def contact(account_id: str, request: Request):
        if request.headers.get("X-Service-Credential") != CREDENTIAL:
            return Response(status_code=401)
        return {"email": f"{account_id}@example.org", "phone": None}

    @stand_in.post("/api/v1/identity/auth/login")
    async def login(request: Request):
        body = await request.json()
        if body.get("password") != PASSWORD:
            return Response(status_code=401)
        account_id = body["login"].removesuffix("@example.org")
        return {
            "access_token": "t",
            "token_type": "bearer",
            "expires_in": 900,
            "refresh_token": f"refresh-{account_id}",
            "account_id": account_id,
        }

    @stand_in.post("/api/v1/identity/auth/logout")
    async def logout(request: Request) -> Response:
        logouts.append((await request.json())["refresh_token"])
        return Response(status_code=204)

    return stand_in


async def publish_event(bootstrap: str, event, *, topic: str, stream_id: str, stream_version: int = 1) -> None:
    """Publish a public event as its owning service would (its envelope keyed by stream id)."""
    envelope = registry.envelope(event, stream_id=stream_id, stream_version=stream_version)
    await publish_raw(bootstrap, topic, encode(envelope), key=stream_id.encode())


async def events_on(
    bootstrap: str, topic: str, key: str | None, *, until: set[str], where=None, timeout_s: float = 30
) -> list:
    """Envelopes with `key` (or matching `where`) on `topic` from the start, until every type in `until` was seen."""
    return await envelopes_on(bootstrap, topic, key, until=until, where=where, timeout_s=timeout_s)


PNG = sample_image("PNG", seed=1)


PASSWORD_SIGNATURE = {"party": "seeker", "password": PASSWORD}


def terms(starts_on: str, payer: str = "relief_amount") -> dict:
    return {
        "activities": ["shopping"],
        "schedule": "Montags 9–11 Uhr",
        "hourly_rate_cents": 3000,
        "payer": payer,
        "starts_on": starts_on,
        "notice_weeks": 2,
    }


async def open_contract(
    client,
    publish,
    headers,
    *,
    offer_id: str,
    order_id: str,
    seeker_id: str,
    assistant_id: str,
    organisation_id: str | None,
) -> str:
    """Publish OfferAccepted as orders would and wait until the process is open; returns the contract id."""
    from contracts.app.assistance import contract_id_for_offer
    from teilhabe_events.contexts.orders import OfferAccepted

    await publish(
        OfferAccepted(offer_id=offer_id, seeker_id=seeker_id, assistant_id=assistant_id, provider_id=organisation_id),
        stream_id=order_id,
        stream_version=3,
    )
    contract_id = contract_id_for_offer(offer_id)
    async with asyncio.timeout(30):
        while (await client.get(f"/api/v1/contracts/assistance/{contract_id}", headers=headers)).status_code != 200:
            await asyncio.sleep(0.2)
    return contract_id


async def ratified_contract(
    client,
    publish,
    *,
    seeker,
    assistant,
    provider,
    ids,
    seeker_id,
    assistant_id,
    organisation_id,
    starts_on: str,
    payer: str = "relief_amount",
) -> str:
    """A contract taken through meeting, draft, both signatures and ratification via the API."""
    from datetime import UTC, datetime, timedelta

    contract_id = await open_contract(
        client,
        publish,
        provider,
        offer_id=ids("offer-"),
        order_id=ids("order-"),
        seeker_id=seeker_id,
        assistant_id=assistant_id,
        organisation_id=organisation_id,
    )
    base = f"/api/v1/contracts/assistance/{contract_id}"
    slot = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0).isoformat()
    steps = [
        (provider, "meeting-proposals", {"slots": [slot]}),
        (seeker, "meeting", {"slot": slot}),
        (provider, "meeting/held", None),
        (provider, "draft", terms(starts_on, payer)),
        (seeker, "signatures", PASSWORD_SIGNATURE),
        (assistant, "signatures", {"party": "assistant", "password": PASSWORD}),
        (provider, "ratification", None),
    ]
    for headers, path, body in steps:
        response = await client.post(f"{base}/{path}", json=body, headers=headers)
        assert response.status_code == 200, (path, response.text)
    return contract_id


async def register_interest(client, kafka_events, offer_id: str, first_name: str, last_name: str, email: str) -> dict:
    """Register an interested person through the public endpoint; the payload of the
    `InterestedPersonRegistered` that follows on Kafka."""
    registered = await client.post(
        f"/api/v1/contracts/facility-offers/{offer_id}/registrations",
        json={"first_name": first_name, "last_name": last_name, "email": email},
    )
    assert registered.status_code == 202
    persons = await kafka_events(
        "contracts.interested_person.v1",
        None,
        {"InterestedPersonRegistered"},
        where=lambda e: e.payload["offer_id"] == offer_id,
    )
    return persons[0].payload
