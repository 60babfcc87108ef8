"""Writing a calendar's read-model rows from its folded state (in the transaction of the append)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.domain.calendar import Calendar
from appointments.domain.centre import Centre
from appointments.domain.slots import free
from appointments.readmodels.tables import (
    bookings_view,
    calendars,
    centre_settings_view,
    free_slots,
    group_appointments_view,
    waitlist_view,
)
from appointments.readmodels.touched import EVERYTHING, Touched
from teilhabe_kit.localtime import BERLIN, local_date


async def project_centre(conn: AsyncConnection, centre: Centre) -> None:
    """The rules the free-slot query needs."""
    row = {"horizon_weeks": centre.rules.horizon_weeks, "lead_minutes": centre.rules.lead_minutes}
    await conn.execute(
        insert(centre_settings_view)
        .values(centre_id=centre.centre_id, **row)
        .on_conflict_do_update(index_elements=["centre_id"], set_=row)
    )


async def project_calendar(
    conn: AsyncConnection,
    calendar: Calendar,
    centre: Centre,
    version: int,
    now: datetime,
    changed: Touched = EVERYTHING,
) -> None:
    """The calendar's rows as of `version`: what `changed` names is written anew (free slots of the
    touched days, or of every day from `now` to the horizon)."""
    offers = [h.expires_at for h in calendar.holds.values() if h.entry_id]
    row = {
        "centre_id": calendar.centre_id,
        "counselor_id": calendar.counselor_id,
        "display_name": calendar.display_name,
        "only_regular_clients": calendar.only_regular_clients,
        "has_booking_times": bool(calendar.booking_times),
        "version": version,
        "generated_on": local_date(now),
        "next_offer_expiry": min(offers, default=None),
    }
    await conn.execute(
        insert(calendars)
        .values(calendar_id=calendar.calendar_id, **row)
        .on_conflict_do_update(index_elements=["calendar_id"], set_=row)
    )
    await _slots(conn, calendar, centre, now, changed.days)
    await _bookings(conn, calendar, centre, now, None if changed is EVERYTHING else changed.bookings)
    if changed.groups:
        await _groups(conn, calendar)
    if changed.waitlist:
        await _waitlist(conn, calendar)


async def _slots(
    conn: AsyncConnection, calendar: Calendar, centre: Centre, now: datetime, days: set[date] | None
) -> None:
    if days == set():
        return
    mine = free_slots.c.calendar_id == calendar.calendar_id
    if days is None:
        await conn.execute(delete(free_slots).where(mine))
    else:
        for day in days:
            start = datetime.combine(day, time(0), BERLIN)
            end = start + timedelta(days=1)
            await conn.execute(
                delete(free_slots).where(mine, free_slots.c.starts_at >= start, free_slots.c.starts_at < end)
            )
    holds = [h for h in calendar.holds.values() if h.expires_at > now]
    rows = [
        {
            "calendar_id": calendar.calendar_id,
            "centre_id": calendar.centre_id,
            "counselor_id": calendar.counselor_id,
            "service_id": slot.service_id,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "held_until": max(
                (h.expires_at for h in holds if h.overlaps(slot.starts_at, slot.blocked_until)), default=None
            ),
        }
        for slot in free(calendar, centre, now, ignore_holds=True, days=days)
    ]
    if rows:
        await conn.execute(free_slots.insert(), rows)


async def _bookings(
    conn: AsyncConnection, calendar: Calendar, centre: Centre, now: datetime, ids: set[str] | None
) -> None:
    """The bookings named in `ids` (all when None): booked ones written, the others marked cancelled."""
    if ids == set():
        return
    mine = bookings_view.c.calendar_id == calendar.calendar_id
    named = mine if ids is None else bookings_view.c.booking_id.in_(ids)
    await conn.execute(
        update(bookings_view)
        .where(named, bookings_view.c.status == "booked", bookings_view.c.booking_id.not_in(list(calendar.bookings)))
        .values(status="cancelled", updated_at=now)
    )
    current = [b for b in calendar.bookings.values() if ids is None or b.booking_id in ids]
    for booking in current:
        service = centre.services.get(booking.service_id)
        row = {
            "calendar_id": calendar.calendar_id,
            "centre_id": calendar.centre_id,
            "counselor_id": calendar.counselor_id,
            "client_id": booking.client_id,
            "service_id": booking.service_id,
            "channel": service.channel.value if service else "",
            "starts_at": booking.starts_at,
            "ends_at": booking.ends_at,
            "status": "booked",
            "updated_at": now,
        }
        await conn.execute(
            insert(bookings_view)
            .values(booking_id=booking.booking_id, **row)
            .on_conflict_do_update(index_elements=["booking_id"], set_=row)
        )


async def _groups(conn: AsyncConnection, calendar: Calendar) -> None:
    table = group_appointments_view
    await conn.execute(delete(table).where(table.c.calendar_id == calendar.calendar_id))
    rows = [
        {
            "group_appointment_id": g.group_appointment_id,
            "calendar_id": calendar.calendar_id,
            "centre_id": calendar.centre_id,
            "counselor_id": calendar.counselor_id,
            "title": g.title,
            "description": g.description,
            "channel": g.channel,
            "starts_at": g.starts_at,
            "ends_at": g.ends_at,
            "max_participants": g.max_participants,
            "bookable_by_clients": g.bookable_by_clients,
            "participants": list(g.participants),
            "client_group_ids": list(g.client_group_ids),
        }
        for g in calendar.groups.values()
    ]
    if rows:
        await conn.execute(table.insert(), rows)


async def _waitlist(conn: AsyncConnection, calendar: Calendar) -> None:
    await conn.execute(delete(waitlist_view).where(waitlist_view.c.calendar_id == calendar.calendar_id))
    offers = {h.entry_id: h for h in calendar.holds.values() if h.entry_id}
    rows = [
        {
            "entry_id": e.entry_id,
            "calendar_id": calendar.calendar_id,
            "centre_id": calendar.centre_id,
            "counselor_id": calendar.counselor_id,
            "client_id": e.client_id,
            "service_id": e.service_id,
            "wanted_before": e.wanted_before,
            "offered_starts_at": offers[e.entry_id].starts_at if e.entry_id in offers else None,
            "offer_expires_at": offers[e.entry_id].expires_at if e.entry_id in offers else None,
        }
        for e in calendar.waitlist
    ]
    if rows:
        await conn.execute(waitlist_view.insert(), rows)
