"""Through the real gateway: the public finder, detail and export answer without login; the back
office needs a token (the gateway checks it, the service checks the role)."""

from __future__ import annotations

import httpx
import pytest
from centres_support import in_finder, onboarded
from gateway_support import gateway_in_front


@pytest.fixture(scope="module")
async def gateway(service, token_issuer):
    async with gateway_in_front("gateway_centres_test", token_issuer, centres_url=service.url) as base:
        yield base


async def test_the_finder_is_public_through_the_gateway(gateway, client, admin):
    centre_id, _ = await onboarded(client, admin)
    await in_finder(client, centre_id)
    async with httpx.AsyncClient(base_url=f"{gateway}/api/v1/centres", timeout=10) as anonymous:
        found = await anonymous.get("/finder", params={"postcode": "37073", "page_size": 100})
        detail = await anonymous.get(f"/directory/{centre_id}")
        export = await anonymous.get("/directory.csv")
        back_office = await anonymous.get(f"/centres/{centre_id}")
        interest = await anonymous.post("/centres", json={"name": "X", "postcode": "37073"})
        forged = await anonymous.get(f"/centres/{centre_id}", headers={"Authorization": "Bearer nope"})
    assert found.status_code == 200 and centre_id in [h["centre_id"] for h in found.json()["items"]]
    assert detail.status_code == 200 and detail.json()["centre_id"] == centre_id
    assert export.status_code == 200 and centre_id in export.text
    assert (back_office.status_code, interest.status_code, forged.status_code) == (401, 401, 401)


async def test_the_back_office_through_the_gateway_with_a_token(gateway, client, admin):
    centre_id, _ = await onboarded(client, admin)
    async with httpx.AsyncClient(base_url=f"{gateway}/api/v1/centres", timeout=10) as browser:
        mine = await browser.get(f"/centres/{centre_id}", headers=admin)
    assert mine.status_code == 200 and mine.json()["status"] == "listed"
