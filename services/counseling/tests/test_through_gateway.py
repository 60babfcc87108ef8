"""Through the real gateway: a client signs in with centre and pseudonym and reads their own page;
the staff search their clients; no token → 401 at the door."""

from __future__ import annotations

import httpx
import pytest
from counseling_support import new_centre, open_client
from gateway_support import gateway_in_front


@pytest.fixture(scope="module")
async def gateway(world, issuer):
    async with gateway_in_front(
        "gateway_counseling_test", issuer, counseling_url=world.url, identity_url=world.identity_url
    ) as base:
        yield base


async def test_client_and_staff_through_the_gateway(gateway, api, identity, issuer):
    centre = await new_centre(identity, issuer)
    made = await open_client(api, centre)
    async with httpx.AsyncClient(base_url=f"{gateway}/api/v1", timeout=30) as door:
        signed = await door.post(
            "/identity/auth/client-login",
            json={"centre_id": centre.id, "pseudonym": made["pseudonym"], "password": made["initial_password"]},
        )
        assert signed.status_code == 200, signed.text
        client = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        me = await door.get("/counseling/me", headers=client)
        staff_page = await door.get(f"/counseling/centres/{centre.id}/clients", headers=client)
        search = await door.get(
            f"/counseling/centres/{centre.id}/clients", params={"q": made["pseudonym"]}, headers=centre.counselor
        )
        anonymous = await door.get(f"/counseling/centres/{centre.id}/clients")
    assert me.status_code == 200 and me.json()["client_id"] == made["client_id"]
    assert staff_page.status_code == 403
    assert search.status_code == 200 and search.json()["total"] == 1
    assert anonymous.status_code == 401
