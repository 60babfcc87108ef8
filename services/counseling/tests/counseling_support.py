"""Helpers of counseling's tests: a centre in identity, staff tokens, clients opened through the API."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select

from teilhabe_kit.auth import TokenIssuer
from teilhabe_kit.tables import event_store, outbox
from teilhabe_kit.testing import bearer

IDENTITY_SECRET = "counseling-test-identity-credential"
SERVICE_SECRET = "counseling-test-service-credential"
PASSWORD = "Blauer-Himmel-über-Northeim-7"


@dataclass(frozen=True)
class Centre:
    id: str
    counselor_id: str
    counselor: dict[str, str]
    colleague_id: str
    colleague: dict[str, str]
    admin_id: str
    admin: dict[str, str]


def staff(issuer: TokenIssuer, centre_id: str, role: str = "counselor") -> tuple[str, dict[str, str]]:
    account_id = str(uuid.uuid4())
    return account_id, bearer(issuer, account_id, role, organisation_id=centre_id)


async def new_centre(identity: httpx.AsyncClient, issuer: TokenIssuer) -> Centre:
    """A counseling centre in identity (as centres would create it) with two counselors and an admin."""
    response = await identity.post(
        "/organisations",
        json={"kind": "counseling_centre", "name": "Schuldnerberatung Northeim", "postcode": "37154"},
        headers=bearer(issuer, "platform-admin", "admin"),
    )
    assert response.status_code == 201, response.text
    centre_id = response.json()["id"]
    counselor_id, counselor = staff(issuer, centre_id)
    colleague_id, colleague = staff(issuer, centre_id)
    admin_id, admin = staff(issuer, centre_id, "centre_admin")
    return Centre(centre_id, counselor_id, counselor, colleague_id, colleague, admin_id, admin)


def pseudonym() -> str:
    return f"Sonnenblume {uuid.uuid4().hex[:8]}"


async def open_client(api: httpx.AsyncClient, centre: Centre, headers: dict | None = None, **body) -> dict:
    payload = {"pseudonym": pseudonym()} | body
    response = await api.post(f"/centres/{centre.id}/clients", json=payload, headers=headers or centre.counselor)
    assert response.status_code == 201, response.text
    return response.json()


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.1)


def client_headers(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def client_login(identity: httpx.AsyncClient, centre_id: str, name: str, password: str) -> dict:
    response = await identity.post(
        "/auth/client-login",
        json={"centre_id": centre_id, "pseudonym": name, "password": password},
        headers={"X-Forwarded-For": f"10.1.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def fingerprint(engine) -> tuple[int, int]:
    """How many events are stored and recorded for publication: unchanged means nothing happened."""
    async with engine.connect() as conn:
        stored = await conn.scalar(select(func.count()).select_from(event_store))
        recorded = await conn.scalar(select(func.count()).select_from(outbox))
    return stored or 0, recorded or 0
