"""What appointments learns from identity's account topic (a private topic here): the centres'
teams, and an erased client's upcoming appointments, waitlist entries and group seats released."""

from __future__ import annotations

import asyncio
import uuid

from appointments_support import centre_with_counselor, monday_slots, ok

from appointments.readmodels import queries
from teilhabe_events import encode, registry
from teilhabe_events.contexts.identity import AccountErased, CentreRole, StaffJoined, StaffRemoved
from teilhabe_kit.testing import consumed, publish_raw


async def _publish(service, account_id: str, *events) -> None:
    for version, event in enumerate(events, start=1):
        envelope = registry.envelope(event, stream_id=account_id, stream_version=version)
        await publish_raw(service.bootstrap, service.settings.identity_topic, encode(envelope), account_id.encode())


async def _until(check, timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.1)


async def test_the_team_follows_identitys_staff_events(service):
    centre_id, counselor = str(uuid.uuid4()), f"co-{uuid.uuid4()}"
    await _publish(
        service,
        counselor,
        StaffJoined(centre_id=centre_id, role=CentreRole.COUNSELOR),
        StaffRemoved(centre_id=centre_id, removed_by="admin"),
    )

    admin = f"ad-{uuid.uuid4()}"
    await _publish(service, admin, StaffJoined(centre_id=centre_id, role=CentreRole.CENTRE_ADMIN))
    group = f"{service.settings.consumer_group_prefix}.identity"
    await consumed(service.bootstrap, group, service.settings.identity_topic)
    async with service.engine.connect() as conn:
        assert await queries.team(conn, centre_id) == [admin]  # the counselor joined and left again
        assert await queries.team(conn, centre_id, "centre_admin") == [admin]


async def test_an_erased_clients_upcoming_appointments_are_released(client, as_, service):
    world = await centre_with_counselor(client, as_)
    klient_id = f"client-{uuid.uuid4()}"
    klient = as_(klient_id, "client", organisation_id=world.centre_id)
    booked = await ok(
        await client.post(
            f"/centres/{world.centre_id}/bookings",
            json={"service_id": world.chat, "counselor_id": world.counselor_id, "starts_at": world.monday(9)},
            headers=klient,
        ),
        201,
    )
    await ok(
        await client.post(
            f"/centres/{world.centre_id}/counselors/{world.counselor_id}/waitlist",
            json={"service_id": world.chat, "wanted_before": world.monday(9)},
            headers=klient,
        ),
        201,
    )
    assert ("chat", "09:00") not in await monday_slots(client, world)
    await _publish(service, klient_id, AccountErased())

    async def released() -> bool:
        row = await ok(await client.get(f"/bookings/{booked['booking_id']}", headers=world.counselor))
        return row["status"] == "cancelled"

    await _until(released)
    assert ("chat", "09:00") in await monday_slots(client, world)
    mine = await ok(await client.get("/me", headers=klient))
    assert mine["waitlist"] == [] and [b["status"] for b in mine["bookings"]] == ["cancelled"]
