"""`python -m counseling.demo` against the test's identity and counseling: the demo centre's settings,
profiles, three self-registered clients with records and a group; a second run adds nothing."""

from __future__ import annotations

import httpx
from counseling_support import client_login

from counseling import demo
from identity import demo as identity_demo


async def test_demo_loads_once(world, api, identity, monkeypatch):
    await identity_demo.load(world.identity_engine)
    monkeypatch.setattr(demo, "IDENTITY", f"{world.identity_url}/api/v1/identity")
    monkeypatch.setattr(demo, "COUNSELING", f"{world.url}/api/v1/counseling")
    await demo.main()
    await demo.main()
    tokens = await client_login(identity, demo.DEMO_CENTRE_ID, "Leuchtturm", demo.CLIENT_PASSWORD)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = (await api.get("/me", headers=headers)).json()
    assert me["pseudonym"] == "Leuchtturm" and me["primary_counselor"] is not None
    async with httpx.AsyncClient(timeout=30) as plain:
        admin = await demo.token(plain, *demo.ADMIN)
    listed = await api.get(f"/centres/{demo.DEMO_CENTRE_ID}/clients", headers=admin)
    assert sorted(c["pseudonym"] for c in listed.json()["items"]) == ["Kiefer", "Leuchtturm", "Sonnenblume"]
    records = await api.get(f"/centres/{demo.DEMO_CENTRE_ID}/records", headers=admin)
    assert len(records.json()) >= 6
