"""The two streams of appointments on the kit's `load`/`commit`.

- `appointment_centre` (id = centre id): the centre's rules and counseling services;
- `calendar` (id = `<centre_id>:<counselor_id>`): one counselor's appointment book.

Deciding on a calendar happens under its row lock (`calendars`), so concurrent bookings of one
counselor are decided one after the other on the latest state: exactly the possible ones succeed.
The append's expected version stays the safety net (a conflict → 409).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.domain import calendar as calendar_model
from appointments.domain import centre as centre_model
from appointments.domain.calendar import Calendar, calendar_id
from appointments.domain.centre import Centre
from appointments.domain.events import (
    INTERNAL_CALENDAR,
    CalendarEvent,
    CentreEvent,
    CentreRulesChanged,
    CounselingServiceDefined,
)
from appointments.readmodels.project import project_calendar, project_centre
from appointments.readmodels.tables import calendars
from appointments.readmodels.touched import touched
from teilhabe_kit import streams
from teilhabe_kit.problems import NotFound
from teilhabe_kit.streams import Committed, Loaded

CENTRE: streams.Stream[Centre, CentreEvent] = streams.Stream(
    "appointment_centre", centre_model.evolve, internal=[CentreRulesChanged, CounselingServiceDefined]
)
CALENDAR: streams.Stream[Calendar, CalendarEvent] = streams.Stream(
    "calendar", calendar_model.evolve, internal=INTERNAL_CALENDAR
)
NO_CALENDAR = "Für diese Beraterin oder diesen Berater gibt es hier keinen Kalender."


def now() -> datetime:
    return datetime.now(UTC)


async def load_centre(conn: AsyncConnection, centre_id: str) -> tuple[Centre, int]:
    """The centre's settings (defaults and no services when it has set nothing yet)."""
    loaded = await streams.load(conn, CENTRE, centre_id)
    return loaded.state or Centre(centre_id), loaded.version


async def lock_calendar(conn: AsyncConnection, centre_id: str, counselor_id: str, *, create: bool) -> None:
    """Lock the calendar's row for this transaction (made first when `create`); 404 when there is none."""
    key = calendar_id(centre_id, counselor_id)
    if create:
        await conn.execute(
            insert(calendars)
            .values(calendar_id=key, centre_id=centre_id, counselor_id=counselor_id, display_name="", version=0)
            .on_conflict_do_nothing(index_elements=["calendar_id"])
        )
    found = await conn.scalar(select(calendars.c.calendar_id).where(calendars.c.calendar_id == key).with_for_update())
    if found is None:
        raise NotFound(NO_CALENDAR, en="There is no calendar for this counselor here.")


async def load_calendar(conn: AsyncConnection, centre_id: str, counselor_id: str) -> Loaded[Calendar]:
    return await streams.load(conn, CALENDAR, calendar_id(centre_id, counselor_id))


async def commit_calendar(
    conn: AsyncConnection,
    centre: Centre,
    loaded: Loaded[Calendar],
    centre_id: str,
    counselor_id: str,
    events: Sequence[CalendarEvent],
    *,
    actor_id: str | None,
) -> Committed[Calendar, CalendarEvent]:
    """Append after the loaded version, record the public events, lay out the calendar's rows anew."""

    async def project(conn: AsyncConnection, committed: Committed[Calendar, CalendarEvent]) -> None:
        assert committed.state is not None
        changed = touched(loaded.state, committed.events)
        await project_calendar(conn, committed.state, centre, committed.version, committed.occurred_at, changed)

    return await streams.commit(
        conn, CALENDAR, calendar_id(centre_id, counselor_id), loaded, events, actor_id=actor_id, project=project
    )


async def commit_centre(
    conn: AsyncConnection, loaded: Loaded[Centre], centre_id: str, events: Sequence[CentreEvent], *, actor_id: str
) -> Centre:
    """Append the centre's events; every calendar of the centre is laid out anew with the new settings."""
    committed = await streams.commit(conn, CENTRE, centre_id, loaded, events, actor_id=actor_id)
    centre = committed.state or Centre(centre_id)
    if events:
        await project_centre(conn, centre)
        await relayout(conn, centre, committed.occurred_at)
    return centre


async def relayout(conn: AsyncConnection, centre: Centre, at: datetime, only: Sequence[str] | None = None) -> None:
    """Lay out the free slots of the centre's calendars (or of `only` these calendar ids) anew."""
    query = select(calendars.c.counselor_id, calendars.c.calendar_id).where(calendars.c.centre_id == centre.centre_id)
    if only is not None:
        query = query.where(calendars.c.calendar_id.in_(only))
    for counselor_id, _key in (await conn.execute(query.order_by(calendars.c.calendar_id).with_for_update())).all():
        state, version = await load_calendar(conn, centre.centre_id, counselor_id)
        if state is not None:
            await project_calendar(conn, state, centre, version, at)
