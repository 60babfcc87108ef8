"""What appointments learns from counseling's client topic (a private topic here): "nur für
Stammklient:innen" follows the primary counselor; an erased client's appointments are released."""

from __future__ import annotations

import asyncio
import uuid

from appointments_support import centre_with_counselor, monday_slots, ok

from teilhabe_events import encode, registry
from teilhabe_events.contexts.counseling import ClientErased, PrimaryCounselorAssigned
from teilhabe_kit.testing import consumed, publish_raw


async def _publish(service, client_id: str, *events) -> None:
    for version, event in enumerate(events, start=1):
        envelope = registry.envelope(event, stream_id=client_id, stream_version=version)
        await publish_raw(service.bootstrap, service.settings.counseling_topic, encode(envelope), client_id.encode())
    group = f"{service.settings.consumer_group_prefix}.counseling"
    await consumed(service.bootstrap, group, service.settings.counseling_topic)


async def test_only_regular_clients_book_a_counselor_who_takes_only_them(client, as_, service):
    world = await centre_with_counselor(client, as_)
    path = f"/centres/{world.centre_id}/counselors/{world.counselor_id}/profile"
    reserved = {"display_name": "Frau Demir", "only_regular_clients": True}
    await ok(await client.put(path, json=reserved, headers=world.counselor))
    regular_id, other_id = f"client-{uuid.uuid4()}", f"client-{uuid.uuid4()}"
    await _publish(
        service,
        regular_id,
        PrimaryCounselorAssigned(centre_id=world.centre_id, counselor_id=world.counselor_id, automatic=True),
    )
    body = {"service_id": world.chat, "counselor_id": world.counselor_id, "starts_at": world.monday(9)}
    other = as_(other_id, "client", organisation_id=world.centre_id)
    refused = await client.post(f"/centres/{world.centre_id}/bookings", json=body, headers=other)
    assert refused.status_code == 403 and "Stammklient" in refused.json()["detail"]
    regular = as_(regular_id, "client", organisation_id=world.centre_id)
    await ok(await client.post(f"/centres/{world.centre_id}/bookings", json=body, headers=regular), 201)

    await _publish(service, regular_id, PrimaryCounselorAssigned(centre_id=world.centre_id, counselor_id=None))
    body["starts_at"] = world.monday(9, 30)
    again = await client.post(f"/centres/{world.centre_id}/bookings", json=body, headers=regular)
    assert again.status_code == 403


async def test_a_client_erased_by_counseling_has_their_appointments_released(client, as_, service):
    world = await centre_with_counselor(client, as_)
    klient_id = f"client-{uuid.uuid4()}"
    klient = as_(klient_id, "client", organisation_id=world.centre_id)
    body = {"service_id": world.on_site, "counselor_id": world.counselor_id, "starts_at": world.monday(10)}
    booked = await ok(await client.post(f"/centres/{world.centre_id}/bookings", json=body, headers=klient), 201)
    assert ("chat", "10:00") not in await monday_slots(client, world)
    await _publish(service, klient_id, ClientErased(centre_id=world.centre_id))

    async def released() -> bool:
        row = await ok(await client.get(f"/bookings/{booked['booking_id']}", headers=world.counselor))
        return row["status"] == "cancelled"

    async with asyncio.timeout(30):
        while not await released():
            await asyncio.sleep(0.1)
    assert len(await monday_slots(client, world)) == 8
