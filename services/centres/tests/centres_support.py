"""Helpers of the centres tests: profile bodies, onboarding a centre, waiting for the finder."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import httpx


def profile_body(**changes) -> dict:
    """A complete profile of a debt counseling centre in Göttingen."""
    return {
        "name": f"Schuldnerberatung Göttingen {uuid.uuid4().hex[:6]}",
        "provider": "Diakonie Göttingen",
        "description": "Wir beraten kostenlos und vertraulich.",
        "address": {"street": "Weender Straße 1", "postcode": "37073", "city": "Göttingen"},
        "service_area": {"postcodes": ["37073", "37075", "37077"], "radius_km": 15},
        "topics": ["debt", "social_benefits"],
        "target_groups": ["everyone"],
        "languages": ["de", "tr"],
        "accessibility": ["step_free", "accessible_toilet"],
        "opening_hours": {
            "weekly": [
                {"weekday": 0, "start": "09:00", "end": "12:00"},
                {"weekday": 0, "start": "13:00", "end": "16:00"},
                {"weekday": 2, "start": "09:00", "end": "12:00"},
            ],
            "closed_on": [(date.today() + timedelta(days=30)).isoformat()],
        },
        "channels": ["on_site", "phone", "mail"],
        "contact": {
            "phone": "0551 123456",
            "email": "info@schuldnerberatung.example",
            "website": "https://example.org",
        },
        "links": {"counseling_url": "https://beratung.example.org"},
    } | changes


async def record_interest(
    client: httpx.AsyncClient, admin: dict, name: str = "Beratung Demo", postcode: str = "37073"
) -> str:
    response = await client.post("/centres", json={"name": name, "postcode": postcode}, headers=admin)
    assert response.status_code == 201, response.text
    return response.json()["centre_id"]


async def onboarded(client: httpx.AsyncClient, admin: dict, **profile_changes) -> tuple[str, dict]:
    """A listed centre: interest, agreement, profile; returns its id and profile body."""
    centre_id = await record_interest(client, admin)
    signed = await client.put(
        f"/centres/{centre_id}/agreement",
        json={"version": "2026-1", "signed_on": date.today().isoformat(), "signatory": "Dora Direktorin"},
        headers=admin,
    )
    assert signed.status_code == 200, signed.text
    body = profile_body(**profile_changes)
    changed = await client.put(f"/centres/{centre_id}/profile", json=body, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "listed"
    return centre_id, body


async def until(check: Callable[[], Awaitable[bool]], timeout_s: float = 20) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.05)


async def in_finder(client: httpx.AsyncClient, centre_id: str) -> dict:
    """Waits until the centre is public and returns its public detail."""
    found: dict = {}

    async def public() -> bool:
        response = await client.get(f"/directory/{centre_id}")
        found.update(response.json() if response.status_code == 200 else {})
        return response.status_code == 200

    await until(public)
    return found
