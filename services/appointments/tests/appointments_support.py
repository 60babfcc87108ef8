"""Helpers of the appointments tests: a centre with services and a counselor whose booking times
follow the seed's Monday example (chat 9–12, on site 10–11, 30 minutes each)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import httpx

from teilhabe_kit.localtime import BERLIN


@dataclass
class World:
    centre_id: str
    admin: dict[str, str]
    counselor_id: str
    counselor: dict[str, str]
    chat: str
    on_site: str

    def monday(self, hour: int, minute: int = 0, weeks: int = 1) -> str:
        """A Monday at least `weeks` ahead (within the 8-week horizon), Berlin time, ISO with zone."""
        today = datetime.now(BERLIN).date()
        monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks - 1)
        return datetime.combine(monday, time(hour, minute), BERLIN).isoformat()


def next_monday(weeks: int = 1) -> date:
    today = datetime.now(BERLIN).date()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks - 1)


def same(a: str, b: str) -> bool:
    """Two ISO moments are the same instant."""
    return datetime.fromisoformat(a).astimezone(UTC) == datetime.fromisoformat(b).astimezone(UTC)


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


async def centre_with_counselor(
    client: httpx.AsyncClient, as_, *, region: str | None = None, horizon_weeks: int = 8, **rules
) -> World:
    """A fresh centre (admin, counselor) with the seed's services and Monday booking times."""
    centre_id = str(uuid.uuid4())
    counselor_id = f"counselor-{uuid.uuid4()}"
    admin = as_(f"admin-{uuid.uuid4()}", "centre_admin", organisation_id=centre_id)
    counselor = as_(counselor_id, "counselor", organisation_id=centre_id)
    settings = {"horizon_weeks": horizon_weeks, "region": region, "lead_minutes": 0} | rules
    await ok(await client.put(f"/centres/{centre_id}/settings", json=settings, headers=admin))
    chat = await ok(
        await client.post(
            f"/centres/{centre_id}/services",
            json={"name": "Chat 30", "duration_minutes": 30, "channel": "chat", "description": "Chatberatung"},
            headers=admin,
        ),
        201,
    )
    on_site = await ok(
        await client.post(
            f"/centres/{centre_id}/services",
            json={
                "name": "Vor Ort 30",
                "duration_minutes": 30,
                "channel": "on_site",
                "address": "Weender Straße 1, 37073 Göttingen",
            },
            headers=admin,
        ),
        201,
    )
    await ok(
        await client.put(
            f"/centres/{centre_id}/counselors/{counselor_id}/profile",
            json={"display_name": "Frau Demir"},
            headers=counselor,
        )
    )
    times = [
        {"weekday": 0, "start": "09:00", "end": "12:00", "service_id": chat["service_id"]},
        {"weekday": 0, "start": "10:00", "end": "11:00", "service_id": on_site["service_id"]},
    ]
    await ok(
        await client.put(
            f"/centres/{centre_id}/counselors/{counselor_id}/booking-times",
            json={"booking_times": times},
            headers=counselor,
        )
    )
    return World(centre_id, admin, counselor_id, counselor, chat["service_id"], on_site["service_id"])


async def monday_slots(client: httpx.AsyncClient, world: World, weeks: int = 1) -> list[tuple[str, str]]:
    """(service, HH:MM) of the free slots on the Monday `weeks` ahead."""
    day = next_monday(weeks)
    first = datetime.combine(day, time(0), BERLIN).isoformat()
    last = datetime.combine(day + timedelta(days=1), time(0), BERLIN).isoformat()
    found = await ok(
        await client.get(f"/centres/{world.centre_id}/offer/slots", params={"from": first, "to": last, "limit": 500})
    )
    names = {world.chat: "chat", world.on_site: "site"}
    return [
        (names[s["service_id"]], datetime.fromisoformat(s["starts_at"]).astimezone(BERLIN).strftime("%H:%M"))
        for s in found
    ]
