"""Helpers of the orders tests: identity's and contracts' events as their services publish them,
reading the orders topic, and order bodies."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from orders.readmodels import directory
from teilhabe_events import encode, registry
from teilhabe_events.contexts.identity import AccountActivated, AccountRegistered, MembershipApproved
from teilhabe_kit.testing import envelopes_on, publish_raw


async def publish(bootstrap: str, topic: str, stream_id: str, *events, first_version: int = 1) -> None:
    """Publish public events of one stream on `topic` (a private stand-in for the owner's topic)."""
    for version, event in enumerate(events, start=first_version):
        envelope = registry.envelope(event, stream_id=stream_id, stream_version=version)
        await publish_raw(bootstrap, topic, encode(envelope), key=stream_id.encode())


async def until(check, timeout_s: float = 20) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.1)


async def active_account(service, account_id: str, role: str, organisation_id: str | None = None) -> None:
    """Identity's events of an activated account (an assistant joins `organisation_id`); waits until orders knows."""
    events = [
        AccountRegistered(role=role, organisation_id=organisation_id),
        AccountActivated(role=role, activated_by="admin-1"),
    ]
    if organisation_id:
        events.append(MembershipApproved(organisation_id=organisation_id, role=role))
    await publish(service.bootstrap, service.settings.identity_topic, account_id, *events)

    async def known() -> bool:
        async with service.engine.connect() as conn:
            if role == "assistant":
                found = await directory.assistant(conn, account_id)
                return found.active and found.organisation_id == organisation_id
            return await directory.is_active_seeker(conn, account_id)

    await until(known)


async def events_on(bootstrap: str, topic: str, key: str, *, until_types: set[str], timeout_s: float = 20) -> list:
    """Envelopes of stream `key` on `topic` from the start, until every type in `until_types` was seen."""
    return await envelopes_on(bootstrap, topic, key, until=until_types, timeout_s=timeout_s)


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def one_time_body(**changes) -> dict:
    return {
        "schedule": {"kind": "one_time", "date": in_days(10), "start": "09:00", "end": "11:30"},
        "activities": ["shopping", "walks"],
        "traits": ["non_smoker"],
        "postcode": "30159",
        "max_distance_km": 15,
        "transport_needed": True,
        "description": "Ich bin Frau Beispiel und brauche Hilfe beim Einkaufen.",
    } | changes


def recurring_body(**changes) -> dict:
    return {
        "schedule": {
            "kind": "recurring",
            "start_date": in_days(5),
            "interval": "biweekly",
            "appointments_per_interval": 2,
            "ranges": [
                {"weekday": 1, "start": "14:00", "end": "16:00"},
                {"weekday": 3, "start": "14:00", "end": "16:00"},
            ],
        },
        "activities": ["household"],
        "postcode": "49074",
        "max_distance_km": 20,
    } | changes
