"""Helpers of the counseling-centre browser tests: centres set up through the real APIs (as the
platform admin), invitation links fetched from identity as messaging does, layout checks."""

from __future__ import annotations

import asyncio
import os
import uuid

import httpx
from aiokafka import AIOKafkaConsumer
from platform_support import admin_token
from playwright.async_api import Page

from teilhabe_events import decode


def admin_headers() -> dict[str, str]:
    """A fresh platform-admin token (one made at import would expire during a long run)."""
    return {"Authorization": f"Bearer {admin_token()}"}


CENTRES = "/api/v1/centres/centres"


def profile(name: str, postcode: str = "37154", city: str = "Northeim") -> dict:
    return {
        "name": name,
        "provider": "Diakonie Northeim",
        "description": "Wir beraten vertraulich und kostenlos.",
        "address": {"street": "Am Markt 1", "postcode": postcode, "city": city},
        "service_area": {"postcodes": [], "radius_km": 30},
        "topics": ["debt", "family"],
        "languages": ["de", "tr"],
        "accessibility": ["step_free"],
        "channels": ["on_site", "phone", "video"],
        "opening_hours": {"weekly": [{"weekday": d, "start": "00:00", "end": "23:59"} for d in range(7)]},
        "contact": {"phone": "05551 123456", "email": "info@beratung.example", "website": "https://beratung.example"},
        "links": {"booking_url": "https://termine.example/northeim"},
    }


async def onboarded_centre(gateway: str, *, seats: int = 3, listed: bool = True, tag: str | None = None) -> dict:
    """A centre through interest, agreement and seats (and a complete profile when `listed`)."""
    tag = tag or uuid.uuid4().hex[:6]
    name = f"Schuldnerberatung Test {tag}"
    async with httpx.AsyncClient(base_url=gateway, headers=admin_headers(), timeout=15) as api:
        made = await api.post(CENTRES, json={"name": name, "postcode": "37154"})
        assert made.status_code == 201, made.text
        centre_id = made.json()["centre_id"]
        for path, body in (
            ("agreement", {"version": "2026-1", "signed_on": "2026-11-30", "signatory": "Petra Vorstand"}),
            ("seats", {"seats": seats}),
        ):
            response = await api.put(f"{CENTRES}/{centre_id}/{path}", json=body)
            assert response.status_code == 200, response.text
        if listed:
            response = await api.put(f"{CENTRES}/{centre_id}/profile", json=profile(name))
            assert response.status_code == 200, response.text
    return {"centre_id": centre_id, "name": name}


async def wait_for_identity(identity: str, centre_id: str, seats: int, timeout_s: float = 30) -> None:
    """Identity learns of the centre (and its seats) from Kafka."""
    async with httpx.AsyncClient(base_url=identity, headers=admin_headers(), timeout=10) as api:
        async with asyncio.timeout(timeout_s):
            while True:
                team = await api.get(f"/api/v1/identity/centres/{centre_id}/team")
                if team.status_code == 200 and team.json()["seats"] == seats and team.json()["agreement_signed"]:
                    return
                await asyncio.sleep(0.2)


async def invitation_link(identity: str, invitation_id: str) -> str:
    """The path of the invitation link, fetched once as messaging does when it mails it."""
    async with httpx.AsyncClient(base_url=identity, headers=admin_headers(), timeout=10) as api:
        response = await api.post(f"/api/v1/identity/internal/password-resets/{invitation_id}/delivery")
        assert response.status_code == 200, response.text
        return "/einladung?token=" + response.json()["token"]


async def invitation_of(identity: str, centre_id: str, email: str, timeout_s: float = 30) -> str:
    """The invitation id of `email` for the centre, from the public `StaffInvited` on Kafka (what
    messaging reads to mail the link)."""
    async with httpx.AsyncClient(base_url=identity, headers=admin_headers(), timeout=10) as api:
        team = (await api.get(f"/api/v1/identity/centres/{centre_id}/team")).json()
    [account_id] = [m["account_id"] for m in team["members"] if m["email"] == email]
    consumer = AIOKafkaConsumer(
        "identity.account.v1",
        bootstrap_servers=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                for batch in (await consumer.getmany(timeout_ms=300)).values():
                    for record in batch:
                        if record.key != account_id.encode():
                            continue
                        event = decode(record.value)
                        if event.event_type == "StaffInvited" and event.payload["centre_id"] == centre_id:
                            return event.payload["invitation_id"]
    finally:
        await consumer.stop()


async def no_horizontal_overflow(page: Page) -> None:
    width = await page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 0, f"{page.url} overflows by {width}px"
