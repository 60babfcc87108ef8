"""The read side's SQL: slots, bookings, group appointments, waitlist entries, calendars."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.domain.values import CentreRules
from appointments.readmodels.tables import (
    bookings_view,
    calendars,
    centre_settings_view,
    centre_staff,
    free_slots,
    group_appointments_view,
    primary_counselors,
    waitlist_view,
)


def _unheld(at: Any) -> Any:
    return or_(free_slots.c.held_until.is_(None), free_slots.c.held_until <= at)


async def primary_counselor(conn: AsyncConnection, client_id: str, centre_id: str) -> str | None:
    return await conn.scalar(
        select(primary_counselors.c.counselor_id).where(
            primary_counselors.c.client_id == client_id, primary_counselors.c.centre_id == centre_id
        )
    )


async def counselors_free_at(conn: AsyncConnection, centre_id: str, service_id: str, starts_at: datetime) -> list[str]:
    """Counselors of the centre with a free, unheld slot of the service at that moment (by calendar id)."""
    query = (
        select(free_slots.c.counselor_id)
        .where(
            free_slots.c.centre_id == centre_id,
            free_slots.c.service_id == service_id,
            free_slots.c.starts_at == starts_at,
            _unheld(func.now()),
        )
        .order_by(free_slots.c.calendar_id)
    )
    return list((await conn.scalars(query)).all())


async def slot_window(conn: AsyncConnection, centre_id: str) -> tuple[int, int, date | None]:
    """The centre's horizon (weeks), lead time (minutes) and the earliest day its calendars were laid out."""
    oldest = select(func.min(calendars.c.generated_on)).where(calendars.c.centre_id == centre_id).scalar_subquery()
    query = select(centre_settings_view.c.horizon_weeks, centre_settings_view.c.lead_minutes, oldest).where(
        centre_settings_view.c.centre_id == centre_id
    )
    found = (await conn.execute(query)).first()
    if found is None:
        return CentreRules().horizon_weeks, CentreRules().lead_minutes, None
    return found[0], found[1], found[2]


async def stale_calendars(conn: AsyncConnection, centre_id: str, today: date) -> list[str]:
    """Calendars whose slots were laid out before today (the horizon has moved since)."""
    query = select(calendars.c.calendar_id).where(calendars.c.centre_id == centre_id, calendars.c.generated_on < today)
    return list((await conn.scalars(query)).all())


async def slots(
    conn: AsyncConnection,
    centre_id: str,
    *,
    earliest: datetime,
    latest: datetime,
    service_id: str | None,
    counselor_id: str | None,
    limit: int,
) -> list[Any]:
    query = select(
        free_slots.c.counselor_id, free_slots.c.service_id, free_slots.c.starts_at, free_slots.c.ends_at
    ).where(
        free_slots.c.centre_id == centre_id,
        free_slots.c.starts_at >= earliest,
        free_slots.c.starts_at < latest,
        _unheld(func.now()),
    )
    if service_id is not None:
        query = query.where(free_slots.c.service_id == service_id)
    if counselor_id is not None:
        query = query.where(free_slots.c.counselor_id == counselor_id)
    return list(
        (await conn.execute(query.order_by(free_slots.c.starts_at, free_slots.c.calendar_id).limit(limit))).all()
    )


async def counselors(conn: AsyncConnection, centre_id: str) -> list[Any]:
    """Counselors of the centre who offer booking times (for "choose a counselor")."""
    query = (
        select(calendars.c.counselor_id, calendars.c.display_name, calendars.c.only_regular_clients)
        .where(calendars.c.centre_id == centre_id, calendars.c.has_booking_times)
        .order_by(calendars.c.display_name, calendars.c.counselor_id)
    )
    return list((await conn.execute(query)).all())


async def calendar_owners(conn: AsyncConnection, centre_id: str) -> list[str]:
    """The counselors with a calendar at the centre."""
    return list((await conn.scalars(select(calendars.c.counselor_id).where(calendars.c.centre_id == centre_id))).all())


async def free_slots_between(
    conn: AsyncConnection, centre_id: str, counselor_ids: list[str], start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """The counselors' free slots starting from `start` to before `end`, earliest first."""
    query = (
        select(free_slots.c.counselor_id, free_slots.c.service_id, free_slots.c.starts_at, free_slots.c.ends_at)
        .where(free_slots.c.centre_id == centre_id, free_slots.c.starts_at >= start, free_slots.c.starts_at < end)
        .where(free_slots.c.counselor_id.in_(counselor_ids))
        .order_by(free_slots.c.starts_at)
    )
    return [dict(r._mapping) for r in (await conn.execute(query)).all()]


async def booking(conn: AsyncConnection, booking_id: str) -> dict[str, Any] | None:
    row = (await conn.execute(select(bookings_view).where(bookings_view.c.booking_id == booking_id))).first()
    return dict(row._mapping) if row else None


async def bookings_of_client(conn: AsyncConnection, client_id: str) -> list[dict[str, Any]]:
    query = select(bookings_view).where(bookings_view.c.client_id == client_id).order_by(bookings_view.c.starts_at)
    return [dict(r._mapping) for r in (await conn.execute(query)).all()]


async def bookings_of_centre(
    conn: AsyncConnection,
    centre_id: str,
    first: datetime,
    last: datetime,
    counselor_ids: list[str] | None,
    exclude: str | None,
) -> list[dict[str, Any]]:
    query = select(bookings_view).where(
        bookings_view.c.centre_id == centre_id,
        bookings_view.c.status == "booked",
        bookings_view.c.starts_at >= first,
        bookings_view.c.starts_at < last,
    )
    if counselor_ids is not None:
        query = query.where(bookings_view.c.counselor_id.in_(counselor_ids))
    if exclude is not None:
        query = query.where(bookings_view.c.counselor_id != exclude)
    return [dict(r._mapping) for r in (await conn.execute(query.order_by(bookings_view.c.starts_at))).all()]


async def groups_of_centre(
    conn: AsyncConnection, centre_id: str, since: datetime, *, bookable_only: bool
) -> list[dict[str, Any]]:
    table = group_appointments_view
    query = select(table).where(table.c.centre_id == centre_id, table.c.starts_at >= since)
    if bookable_only:
        query = query.where(table.c.bookable_by_clients)
    return [dict(r._mapping) for r in (await conn.execute(query.order_by(table.c.starts_at))).all()]


async def group(conn: AsyncConnection, group_appointment_id: str) -> dict[str, Any] | None:
    table = group_appointments_view
    row = (await conn.execute(select(table).where(table.c.group_appointment_id == group_appointment_id))).first()
    return dict(row._mapping) if row else None


async def groups_of_client(conn: AsyncConnection, client_id: str) -> list[dict[str, Any]]:
    table = group_appointments_view
    query = select(table).where(table.c.participants.contains([client_id])).order_by(table.c.starts_at)
    return [dict(r._mapping) for r in (await conn.execute(query)).all()]


async def waitlist_of_client(conn: AsyncConnection, client_id: str) -> list[dict[str, Any]]:
    query = select(waitlist_view).where(waitlist_view.c.client_id == client_id).order_by(waitlist_view.c.wanted_before)
    return [dict(r._mapping) for r in (await conn.execute(query)).all()]


async def waitlist_entry(conn: AsyncConnection, entry_id: str) -> dict[str, Any] | None:
    row = (await conn.execute(select(waitlist_view).where(waitlist_view.c.entry_id == entry_id))).first()
    return dict(row._mapping) if row else None


async def calendars_with_expired_offers(conn: AsyncConnection, at: datetime, limit: int = 50) -> list[tuple[str, str]]:
    query = (
        select(calendars.c.centre_id, calendars.c.counselor_id)
        .where(and_(calendars.c.next_offer_expiry.is_not(None), calendars.c.next_offer_expiry <= at))
        .limit(limit)
    )
    return [(r.centre_id, r.counselor_id) for r in (await conn.execute(query)).all()]


async def calendars_of_client(conn: AsyncConnection, client_id: str) -> list[tuple[str, str]]:
    """(centre, counselor) of every calendar where the client has a booking, a group seat or a waitlist entry."""
    found: set[tuple[str, str]] = set()
    for table, condition in (
        (bookings_view, bookings_view.c.client_id == client_id),
        (waitlist_view, waitlist_view.c.client_id == client_id),
        (group_appointments_view, group_appointments_view.c.participants.contains([client_id])),
    ):
        rows = await conn.execute(select(table.c.centre_id, table.c.counselor_id).where(condition).distinct())
        found.update((r.centre_id, r.counselor_id) for r in rows.all())
    return sorted(found)


async def team(conn: AsyncConnection, centre_id: str, role: str | None = None) -> list[str]:
    """The account ids of the centre's team (as identity announced it), optionally of one role."""
    query = select(centre_staff.c.account_id).where(centre_staff.c.centre_id == centre_id)
    if role is not None:
        query = query.where(centre_staff.c.role == role)
    return list((await conn.scalars(query.order_by(centre_staff.c.account_id))).all())
