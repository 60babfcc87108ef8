"""The free-slot query: rows of `free_slots` between the earliest bookable moment and the end of the
centre's horizon; calendars laid out on an earlier day are laid out anew first (the horizon moves
with the calendar day)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from appointments.app.streams import load_centre, now, relayout
from appointments.readmodels import queries
from teilhabe_kit.localtime import BERLIN, local_date, today


async def _refresh(engine: AsyncEngine, centre_id: str) -> None:
    async with engine.begin() as conn:
        stale = await queries.stale_calendars(conn, centre_id, today())
        if stale:
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
    at = now()

    async def query(conn: AsyncConnection, horizon_weeks: int, lead_minutes: int) -> list[Any]:
        end = datetime.combine(local_date(at) + timedelta(days=7 * horizon_weeks + 1), datetime.min.time(), BERLIN)
        return await queries.slots(
            conn,
            centre_id,
            earliest=max(first or at, at + timedelta(minutes=lead_minutes)),
            latest=min(last or end, end),
            service_id=service_id,
            counselor_id=counselor_id,
            limit=limit,
        )

    async with engine.connect() as conn:
        horizon_weeks, lead_minutes, oldest = await queries.slot_window(conn, centre_id)
        if oldest is None or oldest >= local_date(at):
            return await query(conn, horizon_weeks, lead_minutes)
    await _refresh(engine, centre_id)
    async with engine.connect() as conn:
        return await query(conn, horizon_weeks, lead_minutes)
