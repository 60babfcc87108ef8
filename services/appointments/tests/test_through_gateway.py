"""Through the real gateway: the centre's offer answers without login; a client of the centre holds,
books, gets the .ics and cancels; staff endpoints need a token (the gateway checks it, the service
the role)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from appointments_support import centre_with_counselor
from gateway_support import gateway_in_front


@pytest.fixture(scope="module")
async def gateway(service, token_issuer):
    async with gateway_in_front("gateway_appointments_test", token_issuer, appointments_url=service.url) as base:
        yield base


async def test_a_client_books_through_the_gateway(gateway, client, as_):
    world = await centre_with_counselor(client, as_)
    klient = as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id)
    async with httpx.AsyncClient(base_url=f"{gateway}/api/v1/appointments", timeout=30) as browser:
        offer = await browser.get(f"/centres/{world.centre_id}/offer/slots", params={"service_id": world.on_site})
        assert offer.status_code == 200 and offer.json(), offer.text
        first = offer.json()[0]
        anonymous_hold = await browser.post(
            f"/centres/{world.centre_id}/holds",
            json={"service_id": world.on_site, "counselor_id": None, "starts_at": first["starts_at"]},
        )
        assert anonymous_hold.status_code == 401
        held = await browser.post(
            f"/centres/{world.centre_id}/holds",
            json={"service_id": world.on_site, "counselor_id": None, "starts_at": first["starts_at"]},
            headers=klient,
        )
        assert held.status_code == 201, held.text
        booked = await browser.post(
            f"/centres/{world.centre_id}/bookings",
            json={"hold_id": held.json()["hold_id"], "counselor_id": held.json()["counselor_id"]},
            headers=klient,
        )
        assert booked.status_code == 201, booked.text
        ics = await browser.get(booked.json()["ics_url"].removeprefix("/api/v1/appointments"), headers=klient)
        assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
        staff_only = await browser.get(f"/centres/{world.centre_id}/services", headers=klient)
        assert staff_only.status_code == 404
        cancelled = await browser.post(f"/bookings/{booked.json()['booking_id']}/cancel", headers=klient)
        assert cancelled.status_code == 204
        forged = await browser.get("/me", headers={"Authorization": "Bearer nope"})
        assert forged.status_code == 401
