"""Helpers for the tests of counseling-centre teams: a consumer of a private centres topic, centres
opened through it (interest, agreement, seats as the centres service publishes them), invitations
delivered and accepted as messaging and the invited person would."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from types import SimpleNamespace

import httpx
from identity_support import API, PASSWORD, SERVICE_SECRET, unique_address
from sqlalchemy import select

from identity.readmodels.tables import organisations
from teilhabe_events import encode, registry
from teilhabe_events.contexts.centres import CentreInterestRecorded, CentreSeatsChanged, ProcessingAgreementSigned
from teilhabe_kit.testing import publish_raw


def centre_event(event, centre_id: str, stream_version: int):
    """The centres service's public event as it publishes it (stream id = centre id)."""
    return registry.envelope(event, stream_id=centre_id, stream_version=stream_version)


async def wait_for(engine, condition, timeout_s: float = 30) -> None:
    """Until `condition(row of organisations)` holds for some row (polls the projection)."""
    async with asyncio.timeout(timeout_s):
        while True:
            async with engine.connect() as conn:
                rows = (await conn.execute(select(organisations))).all()
            if any(condition(row) for row in rows):
                return
            await asyncio.sleep(0.1)


async def open_centre(world: SimpleNamespace, *, seats: int | None = 3, agreement: bool = True) -> str:
    """A counseling centre as the centres service creates it; returns its id once identity knows it."""
    centre_id = str(uuid.uuid4())
    interest = CentreInterestRecorded(name="Schuldnerberatung Northeim", postcode="37154", recorded_by="admin-1")
    events = [centre_event(interest, centre_id, 1)]
    if agreement:
        signed = ProcessingAgreementSigned(version="2026-1", signed_on=date(2026, 11, 30))
        events.append(centre_event(signed, centre_id, 2))
    if seats is not None:
        events.append(centre_event(CentreSeatsChanged(seats=seats), centre_id, 3))
    for envelope in events:
        await publish_raw(world.bootstrap, world.topic, encode(envelope), key=centre_id.encode())
    await wait_for(
        world.engine,
        lambda row: row.id == centre_id and row.seats == seats and row.agreement_signed == agreement,
    )
    return centre_id


def unique_staff_email() -> str:
    return f"team-{uuid.uuid4().hex[:10]}@beratung.example"


async def invite(
    client: httpx.AsyncClient, headers: dict, centre_id: str, email: str, role: str = "counselor"
) -> httpx.Response:
    return await client.post(
        f"{API}/centres/{centre_id}/invitations",
        json={"name": "Beate Beraterin", "email": email, "role": role},
        headers=headers,
    )


async def delivered_token(client: httpx.AsyncClient, invitation_id: str) -> str:
    """What messaging fetches when it mails the invitation."""
    response = await client.post(
        f"{API}/internal/password-resets/{invitation_id}/delivery", headers={"X-Service-Credential": SERVICE_SECRET}
    )
    assert response.status_code == 200, response.text
    assert response.json()["link"].split("?")[0].endswith("/einladung")
    return response.json()["token"]


async def join(client: httpx.AsyncClient, headers: dict, centre_id: str, email: str, role: str = "counselor") -> str:
    """Invite, deliver and accept (setting the password when needed); returns the account id."""
    made = await invite(client, headers, centre_id, email, role)
    assert made.status_code == 201, made.text
    token = await delivered_token(client, made.json()["invitation_id"])
    accepted = await client.post(f"{API}/auth/invitations/accept", json={"token": token, "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    return made.json()["account_id"]


async def signed_in(client: httpx.AsyncClient, email: str, **extra) -> tuple[dict, str]:
    """Bearer headers and the refresh token of a real sign-in (`centre_id=` chooses the centre)."""
    response = await client.post(
        f"{API}/auth/login", json={"login": email, "password": PASSWORD, **extra}, headers=unique_address()
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}, response.json()["refresh_token"]
