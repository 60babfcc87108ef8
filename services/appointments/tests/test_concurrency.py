"""No double booking: 50 clients book overlapping slots of one counselor at the same moment;
exactly the possible bookings succeed, the others get 409 with a clear message."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

from appointments_support import centre_with_counselor, monday_slots, ok
from sqlalchemy import select

from appointments.readmodels.tables import bookings_view


async def test_fifty_clients_at_once_get_exactly_the_possible_bookings(client, as_, service):
    world = await centre_with_counselor(client, as_)
    # the seed's Monday: 8 slots at 6 distinct times (chat and on site in parallel at 10:00 and 10:30)
    wanted = [
        (world.chat, world.monday(9)),
        (world.chat, world.monday(9, 30)),
        (world.chat, world.monday(10)),
        (world.on_site, world.monday(10)),
        (world.chat, world.monday(10, 30)),
        (world.on_site, world.monday(10, 30)),
        (world.chat, world.monday(11)),
        (world.chat, world.monday(11, 30)),
    ]

    async def book(n: int):
        service_id, starts_at = wanted[n % len(wanted)]
        return await client.post(
            f"/centres/{world.centre_id}/bookings",
            json={"service_id": service_id, "counselor_id": world.counselor_id, "starts_at": starts_at},
            headers=as_(f"client-{uuid.uuid4()}", "client", organisation_id=world.centre_id),
        )

    answers = await asyncio.gather(*(book(n) for n in range(50)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] * 6 + [409] * 44, [a.text for a in answers if a.status_code not in (201, 409)]
    assert all("nicht mehr frei" in a.json()["detail"] for a in answers if a.status_code == 409)

    async with service.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(bookings_view.c.starts_at, bookings_view.c.ends_at).where(
                    bookings_view.c.centre_id == world.centre_id, bookings_view.c.status == "booked"
                )
            )
        ).all()
    spans: list[tuple[datetime, datetime]] = sorted((r.starts_at, r.ends_at) for r in rows)
    assert len(spans) == 6 and all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert await monday_slots(client, world) == []
    await ok(await client.get(f"/centres/{world.centre_id}/offer/counselors"))
