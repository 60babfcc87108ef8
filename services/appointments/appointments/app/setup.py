"""Use cases of the setup: the centre's rules and services, a counselor's profile, booking times and absences."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app import access
from appointments.app.streams import (
    commit_calendar,
    commit_centre,
    load_calendar,
    load_centre,
    lock_calendar,
)
from appointments.domain import setup
from appointments.domain.calendar import Booking, Calendar
from appointments.domain.centre import Centre
from appointments.domain.events import CalendarEvent
from appointments.domain.values import BookingTime, CentreRules, CounselingService
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound
from teilhabe_kit.streams import Loaded


async def change_rules(conn: AsyncConnection, principal: Principal, centre_id: str, rules: CentreRules) -> Centre:
    access.require_admin(principal, centre_id)
    centre, version = await load_centre(conn, centre_id)
    events = setup.change_rules(centre, rules)
    return await commit_centre(conn, Loaded(centre, version), centre_id, events, actor_id=principal.account_id)


async def define_service(
    conn: AsyncConnection, principal: Principal, service: CounselingService, centre_id: str
) -> Centre:
    access.require_admin(principal, centre_id)
    centre, version = await load_centre(conn, centre_id)
    events = setup.define_service(centre, service)
    return await commit_centre(conn, Loaded(centre, version), centre_id, events, actor_id=principal.account_id)


async def existing_service(
    conn: AsyncConnection, principal: Principal, centre_id: str, service_id: str
) -> CounselingService:
    access.require_admin(principal, centre_id)
    centre, _ = await load_centre(conn, centre_id)
    service = centre.services.get(service_id)
    if service is None:
        raise NotFound("Diese Beratungsleistung gibt es nicht.", en="There is no such service.")
    return service


async def _calendar(
    conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str
) -> tuple[Centre, Loaded[Calendar], Calendar]:
    """Lock and load a calendar its owner may change (a counselor's first change opens it; admins
    change only calendars that exist)."""
    access.require_calendar_owner(principal, centre_id, counselor_id)
    await lock_calendar(conn, centre_id, counselor_id, create=principal.account_id == counselor_id)
    centre, _ = await load_centre(conn, centre_id)
    loaded = await load_calendar(conn, centre_id, counselor_id)
    return centre, loaded, loaded.state or Calendar(centre_id, counselor_id)


async def _commit(
    conn: AsyncConnection,
    principal: Principal,
    centre: Centre,
    loaded: Loaded[Calendar],
    centre_id: str,
    counselor_id: str,
    events: Sequence[CalendarEvent],
) -> Calendar:
    opening = setup.open_calendar(loaded.state, centre_id, counselor_id)
    committed = await commit_calendar(
        conn, centre, loaded, centre_id, counselor_id, [*opening, *events], actor_id=principal.account_id
    )
    assert committed.state is not None
    return committed.state


async def change_profile(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    counselor_id: str,
    *,
    display_name: str,
    only_regular_clients: bool,
    video_url: str | None,
) -> Calendar:
    centre, loaded, calendar = await _calendar(conn, principal, centre_id, counselor_id)
    events = setup.change_profile(
        calendar, display_name=display_name, only_regular_clients=only_regular_clients, video_url=video_url
    )
    return await _commit(conn, principal, centre, loaded, centre_id, counselor_id, events)


async def set_booking_times(
    conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str, times: list[BookingTime]
) -> Calendar:
    centre, loaded, _ = await _calendar(conn, principal, centre_id, counselor_id)
    events = setup.set_booking_times(centre, times)
    return await _commit(conn, principal, centre, loaded, centre_id, counselor_id, events)


async def record_absence(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    counselor_id: str,
    *,
    first_day: date,
    last_day: date,
    label: str,
) -> tuple[str, list[Booking]]:
    """The new absence's id and the bookings inside it, which the counselor must move."""
    centre, loaded, calendar = await _calendar(conn, principal, centre_id, counselor_id)
    absence_id = str(uuid.uuid4())
    events = setup.record_absence(calendar, absence_id=absence_id, first_day=first_day, last_day=last_day, label=label)
    state = await _commit(conn, principal, centre, loaded, centre_id, counselor_id, events)
    return absence_id, setup.bookings_during(state, first_day, last_day)


async def remove_absence(
    conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str, absence_id: str
) -> None:
    centre, loaded, calendar = await _calendar(conn, principal, centre_id, counselor_id)
    await _commit(conn, principal, centre, loaded, centre_id, counselor_id, setup.remove_absence(calendar, absence_id))


async def read_calendar(conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str) -> Calendar:
    """A calendar for the centre's staff (404 when it does not exist)."""
    access.require_staff(principal, centre_id)
    loaded = await load_calendar(conn, centre_id, counselor_id)
    if loaded.state is None:
        if principal.account_id == counselor_id:
            return Calendar(centre_id, counselor_id)
        raise NotFound("Für diese Beraterin oder diesen Berater gibt es hier keinen Kalender.")
    return loaded.state
