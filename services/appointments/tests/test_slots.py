"""The free-slot read model follows the calendar day: slots laid out on an earlier day are laid out
anew by the next query (the horizon has moved), and centre settings lay out every calendar anew."""

from __future__ import annotations

from datetime import date

from appointments_support import centre_with_counselor, monday_slots, ok
from sqlalchemy import delete, update

from appointments.readmodels.tables import calendars, free_slots


async def test_a_calendar_laid_out_yesterday_is_laid_out_again_by_the_next_query(client, as_, service):
    world = await centre_with_counselor(client, as_)
    async with service.engine.begin() as conn:
        await conn.execute(delete(free_slots).where(free_slots.c.centre_id == world.centre_id))
        await conn.execute(
            update(calendars).where(calendars.c.centre_id == world.centre_id).values(generated_on=date(2026, 1, 1))
        )
    assert len(await monday_slots(client, world)) == 8


async def test_a_shorter_horizon_and_a_closing_day_take_slots_away(client, as_):
    world = await centre_with_counselor(client, as_)
    assert len(await monday_slots(client, world, weeks=3)) == 8
    monday = world.monday(0)[:10]
    rules = {"horizon_weeks": 2, "lead_minutes": 0, "closing_days": [monday]}
    await ok(await client.put(f"/centres/{world.centre_id}/settings", json=rules, headers=world.admin))
    assert await monday_slots(client, world, weeks=3) == []  # beyond two weeks
    assert await monday_slots(client, world) == []  # closed
    assert len(await monday_slots(client, world, weeks=2)) == 8
