"""The demo data (on the tests' private database): the demo centre's services and a calendar for
each counselor identity announced, set up once (a second run changes nothing)."""

from __future__ import annotations

import uuid

from appointments_support import ok
from sqlalchemy.dialects.postgresql import insert

from appointments import demo
from appointments.readmodels.tables import centre_staff


async def test_the_demo_centre_gets_services_and_calendars_once(client, service):
    counselor = f"demo-counselor-{uuid.uuid4()}"
    async with service.engine.begin() as conn:
        row = {"centre_id": demo.DEMO_CENTRE_ID, "account_id": counselor, "role": "counselor"}
        await conn.execute(insert(centre_staff).values(**row).on_conflict_do_nothing())
    counselors, made = await demo.load(service.engine, wait_s=0)
    assert counselors >= 1 and made >= 1
    assert await demo.load(service.engine, wait_s=0) == (counselors, 0)
    services = await ok(await client.get(f"/centres/{demo.DEMO_CENTRE_ID}/offer/services"))
    assert {s["service_id"] for s in services} == {demo.CHAT, demo.ON_SITE, demo.VIDEO}
    slots = await ok(
        await client.get(f"/centres/{demo.DEMO_CENTRE_ID}/offer/slots", params={"counselor_id": counselor})
    )
    assert slots and {s["service_id"] for s in slots} <= {demo.CHAT, demo.ON_SITE, demo.VIDEO}
    groups = await ok(await client.get(f"/centres/{demo.DEMO_CENTRE_ID}/offer/groups"))
    assert any(g["counselor_id"] == counselor and g["seats_left"] == 8 for g in groups)
