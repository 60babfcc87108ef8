"""Use cases of the waitlist: a client joins or leaves it; offers not taken in time expire (a
sweeper of the service runs `expire_due` every few seconds)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from appointments.app import access
from appointments.app.streams import commit_calendar, load_calendar, load_centre, lock_calendar, now
from appointments.domain import waitlist
from appointments.readmodels import queries
from teilhabe_kit import streams
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound

log = logging.getLogger(__name__)


async def join(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    counselor_id: str,
    *,
    service_id: str,
    wanted_before: datetime,
) -> str:
    access.require_client(principal, centre_id)
    await lock_calendar(conn, centre_id, counselor_id, create=False)
    centre, _ = await load_centre(conn, centre_id)
    loaded = await load_calendar(conn, centre_id, counselor_id)
    if loaded.state is None:
        raise NotFound("Für diese Beraterin oder diesen Berater gibt es hier keinen Kalender.")
    entry_id = str(uuid.uuid4())
    events = waitlist.join(
        loaded.state,
        centre,
        entry_id=entry_id,
        client_id=principal.account_id,
        service_id=service_id,
        wanted_before=wanted_before,
        now=now(),
    )
    await commit_calendar(conn, centre, loaded, centre_id, counselor_id, events, actor_id=principal.account_id)
    return entry_id


async def leave(conn: AsyncConnection, principal: Principal, entry_id: str) -> None:
    row = await queries.waitlist_entry(conn, entry_id)
    if row is None or not (access.client_of(principal, row["centre_id"]) and row["client_id"] == principal.account_id):
        raise NotFound("Diesen Eintrag auf der Warteliste gibt es nicht.", en="There is no such waitlist entry.")
    await lock_calendar(conn, row["centre_id"], row["counselor_id"], create=False)
    centre, _ = await load_centre(conn, row["centre_id"])
    loaded = await load_calendar(conn, row["centre_id"], row["counselor_id"])
    assert loaded.state is not None
    events = waitlist.leave(loaded.state, entry_id=entry_id, client_id=principal.account_id)
    await commit_calendar(
        conn, centre, loaded, row["centre_id"], row["counselor_id"], events, actor_id=principal.account_id
    )


async def expire_due(engine: AsyncEngine) -> int:
    """Expire the waitlist offers due now (next in line gets the slot); returns how many calendars changed."""
    async with engine.connect() as conn:
        due = await queries.calendars_with_expired_offers(conn, now())
    for centre_id, counselor_id in due:

        async def work(conn: AsyncConnection, centre_id: str = centre_id, counselor_id: str = counselor_id) -> None:
            await lock_calendar(conn, centre_id, counselor_id, create=False)
            centre, _ = await load_centre(conn, centre_id)
            loaded = await load_calendar(conn, centre_id, counselor_id)
            if loaded.state is not None:
                events = waitlist.expire_offers(loaded.state, centre, now())
                await commit_calendar(conn, centre, loaded, centre_id, counselor_id, events, actor_id=None)

        await streams.retrying(engine, work)
    return len(due)
