"""The free-slot query: rows of `free_slots`, laid out anew first for calendars of an earlier day
(the horizon moves with the calendar day)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from appointments.app.streams import load_centre, now, relayout
from appointments.domain.slots import earliest_start, horizon_end
from appointments.readmodels import queries
from teilhabe_kit.localtime import BERLIN, today


async def _refresh(engine: AsyncEngine, centre_id: str) -> None:
    async with engine.connect() as conn:
        stale = await queries.stale_calendars(conn, centre_id, today())
    if stale:
        async with engine.begin() as conn:
            centre, _ = await load_centre(conn, centre_id)
            await relayout(conn, centre, now(), only=stale)


async def free(
    engine: AsyncEngine,
    centre_id: str,
    *,
    service_id: str | None,
    counselor_id: str | None,
    first: datetime | None,
    last: datetime | None,
    limit: int,
) -> list[Any]:
    """Free slots of the centre from `first` (default: the earliest bookable) until `last` (default:
    the end of the horizon), ordered by start."""
    await _refresh(engine, centre_id)
    async with engine.connect() as conn:
        centre, _ = await load_centre(conn, centre_id)
        at = now()
        end_of_horizon = datetime.combine(
            horizon_end(centre.rules, at) + timedelta(days=1), datetime.min.time(), BERLIN
        )
        earliest = max(first or at, earliest_start(centre.rules, at))
        latest = min(last or end_of_horizon, end_of_horizon)
        return await queries.slots(
            conn,
            centre_id,
            earliest=earliest,
            latest=latest,
            service_id=service_id,
            counselor_id=counselor_id,
            limit=limit,
        )
