"""Who responded to a seeker's order: the person behind each offer (first name and initials, for a
provider or self-employed, how far away) and which of the seeker's wishes they meet and which not.

The cards come from identity (first name, activities, traits and a place rounded to about 1 km);
nothing here is stored, and an assistant identity no longer shows (locked, erased) stays anonymous.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request

from gateway.web.api import call
from teilhabe_kit.geo import haversine_km

IDENTITY = "/api/v1/identity"
TRANSPORT_TRAITS = ("driving_licence", "own_car")


async def _get(request: Request, path: str) -> dict | None:
    response = await call(request, "identity", "GET", path, expect={200, 404})
    return response.json() if response.status_code == 200 else None


def initials(name: str | None) -> str:
    return "".join(part[0] for part in (name or "").split()[:2]).upper() or "?"


def wishes(order: dict, card: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(met, not met) of the order's activities and traits, each as ("activity"|"trait", code)."""
    offered = {("activity", a) for a in card.get("activities", [])} | {("trait", x) for x in card.get("traits", [])}
    asked = [("activity", a) for a in order.get("activities", [])] + [("trait", x) for x in order.get("traits", [])]
    if order.get("transport_needed") and not any(("trait", x) in asked for x in TRANSPORT_TRAITS):
        asked.append(("trait", "driving_licence"))
    return [w for w in asked if w in offered], [w for w in asked if w not in offered]


def distance(order: dict, card: dict) -> float | None:
    here, there = order.get("place"), card.get("place")
    if not here or not there:
        return None
    return round(haversine_km(here["lat"], here["lon"], there["lat"], there["lon"]), 1)


async def person(request: Request, order: dict, offer: dict) -> dict[str, Any]:
    """What the seeker sees of one offer's responder."""
    card = (
        await _get(request, f"{IDENTITY}/assistants/{offer['assistant_id']}/card")
        if offer.get("assistant_id")
        else None
    )
    organisation_id = offer.get("organisation_id") or (card or {}).get("organisation_id")
    provider = await _get(request, f"{IDENTITY}/organisations/{organisation_id}") if organisation_id else None
    met, missing = wishes(order, card) if card else ([], [])
    first_name = (card or {}).get("first_name")
    return {
        "first_name": first_name,
        "initials": initials(first_name or (provider or {}).get("name")),
        "provider_name": (provider or {}).get("name"),
        "self_employed": bool(card and card.get("self_employed")),
        "introduction": (card or {}).get("introduction"),
        "distance_km": distance(order, card) if card else None,
        "met": met,
        "missing": missing,
    }


async def people(request: Request, order: dict, offers: list[dict]) -> list[dict[str, Any]]:
    """Each offer with its responder under "who"."""
    found = await asyncio.gather(*(person(request, order, o) for o in offers))
    return [o | {"who": who} for o, who in zip(offers, found, strict=True)]
