"""An erased client's appointments: upcoming bookings cancelled, waitlist entries and group seats released."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app.streams import commit_calendar, load_calendar, load_centre, lock_calendar, now
from appointments.domain.erasure import release
from appointments.readmodels import queries


async def release_client(conn: AsyncConnection, client_id: str) -> None:
    """Every calendar that holds something of the client decides its release (in the caller's transaction)."""
    for centre_id, counselor_id in await queries.calendars_of_client(conn, client_id):
        await lock_calendar(conn, centre_id, counselor_id, create=False)
        centre, _ = await load_centre(conn, centre_id)
        loaded = await load_calendar(conn, centre_id, counselor_id)
        if loaded.state is not None:
            events = release(loaded.state, centre, client_id, now())
            await commit_calendar(conn, centre, loaded, centre_id, counselor_id, events, actor_id=None)
