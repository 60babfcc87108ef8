"""Demo data for local runs: ``python -m contracts.demo`` (idempotent; `./bin/start` runs it after
identity's demo).

The demo facility's afternoon group (a published offer) and the demo guardian's child enrolled in it
and accepted as candidate, so that the guardian's care page ("Betreuung") is reachable from the demo.
Everything goes through the public API behind the gateway, as the facility staff and the guardian
would do it (the ward's id comes from the guardian's token).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, date, datetime, timedelta

import httpx
import jwt

GATEWAY = os.environ.get("TEILHABE_DEMO_GATEWAY", "http://127.0.0.1:8000")
STAFF = ("fenja@demo.teilhabe.de", "Demo-Einrichtung-2026!")
GUARDIAN = ("gerda@demo.teilhabe.de", "Demo-Sorge-2026!")
API = "/api/v1/contracts"
GROUP = "Nachmittags-Gruppe (Demo)"
CHILD = {
    "first_name": "Lina",
    "last_name": "Sorge",
    "birth_date": "2016-05-03",
    "street": "Am Markt 2",
    "postcode": "37154",
    "city": "Northeim",
}


async def _bearer(api: httpx.AsyncClient, login: str, password: str) -> dict[str, str]:
    response = await api.post("/api/v1/identity/auth/login", json={"login": login, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _offer(api: httpx.AsyncClient, staff: dict[str, str], title: str) -> str:
    """The facility's published offer called `title` (created when missing)."""
    listed = (await api.get(f"{API}/facility-offers")).json()
    items = listed.get("items", listed) if isinstance(listed, dict) else listed
    found = next((o["offer_id"] for o in items if o.get("title") == title), None)
    if found:
        return found
    start = date.today() + timedelta(days=60)
    created = await api.post(
        f"{API}/facility-offers",
        headers=staff,
        json={
            "title": title,
            "description": "Betreuung am Nachmittag mit Mittagessen und Hausaufgaben-Hilfe.",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=365)).isoformat(),
            "capacity": 12,
            "fee_rules": {
                "highest_fee_cents": 24000,
                "brackets": [{"up_to_income_cents": 300000, "monthly_fee_cents": 9000}],
            },
        },
    )
    created.raise_for_status()
    return created.json()["offer_id"]


async def enrol_ward(api: httpx.AsyncClient, staff: dict[str, str], guardian: dict[str, str], title: str) -> str:
    """The guardian's first ward enrolled in the offer `title`, invited and accepted as candidate."""
    offer_id = await _offer(api, staff, title)
    ward = jwt.decode(guardian["Authorization"].split()[1], options={"verify_signature": False})["acting_for"][0]
    enrolled = await api.post(
        f"{API}/enrollments",
        headers=guardian,
        json={
            "offer_id": offer_id,
            "participant": {"account_id": ward, **CHILD},
            "applicant": {"first_name": "Gerda", "last_name": "Sorge", "email": GUARDIAN[0]},
        },
    )
    enrolled.raise_for_status()
    enrollment_id = enrolled.json()["enrollment_id"]
    interview = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
    for who, path, body in (
        (guardian, "/submission", None),
        (staff, "/invitation", {"interview_at": interview}),
        (staff, "/decision", {"accepted": True, "interview": "attended"}),
    ):
        (await api.post(f"{API}/enrollments/{enrollment_id}{path}", headers=who, json=body)).raise_for_status()
    return enrollment_id


async def load(gateway: str = GATEWAY) -> str:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        staff, guardian = await _bearer(api, *STAFF), await _bearer(api, *GUARDIAN)
        mine = (await api.get(f"{API}/enrollments", headers=guardian)).json()
        if mine:
            return f"contracts: the guardian's child is enrolled already ({len(mine)} enrollment(s))"
        enrollment_id = await enrol_ward(api, staff, guardian, GROUP)
        return f"contracts: Lina Sorge enrolled in „{GROUP}“ (enrollment {enrollment_id})"


if __name__ == "__main__":
    print(asyncio.run(load()))
