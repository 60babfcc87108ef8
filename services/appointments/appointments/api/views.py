"""Shaping answers: bookings, group appointments and the staff's calendar of a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app.streams import load_calendar, load_centre
from appointments.domain.calendar import Booking
from appointments.domain.centre import Centre
from appointments.domain.slots import holiday_names
from appointments.readmodels import queries
from teilhabe_kit.localtime import BERLIN


def booking_out(booking: Booking, centre: Centre, counselor_id: str) -> dict[str, Any]:
    service = centre.services.get(booking.service_id)
    return {
        "booking_id": booking.booking_id,
        "centre_id": centre.centre_id,
        "counselor_id": counselor_id,
        "client_id": booking.client_id,
        "service_id": booking.service_id,
        "channel": service.channel.value if service else "",
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "status": "booked",
    }


def group_out(row: dict[str, Any], *, staff: bool) -> dict[str, Any]:
    return row | {
        "seats_left": row["max_participants"] - len(row["participants"]),
        "participants": row["participants"] if staff else None,
    }


@dataclass
class CalendarView:
    bookings: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    days_off: list[dict[str, Any]]
    free_slots: list[dict[str, Any]]


async def calendar_view(
    conn: AsyncConnection, me: str, centre_id: str, first: date, days: int, show: Literal["own", "others", "all"]
) -> CalendarView:
    start = datetime.combine(first, datetime.min.time(), BERLIN)
    end = start + timedelta(days=days)
    last = first + timedelta(days=days - 1)
    counselor_ids = [me] if show == "own" else None
    exclude = me if show == "others" else None
    centre, _ = await load_centre(conn, centre_id)
    bookings = await queries.bookings_of_centre(conn, centre_id, start, end, counselor_ids, exclude)
    groups = [
        g
        for g in await queries.groups_of_centre(conn, centre_id, start, bookable_only=False)
        if g["starts_at"] < end
        and (counselor_ids is None or g["counselor_id"] in counselor_ids)
        and g["counselor_id"] != exclude
    ]
    days_off: list[dict[str, Any]] = [
        {"day": day, "kind": "holiday", "label": name}
        for day, name in holiday_names(centre.rules.region, first, last).items()
    ]
    days_off += [
        {"day": d, "kind": "closing_day", "label": "Schließtag"}
        for d in centre.rules.closing_days
        if first <= d <= last
    ]
    shown = [
        c
        for c in await queries.calendar_owners(conn, centre_id)
        if (counselor_ids is None or c in counselor_ids) and c != exclude
    ]
    for counselor_id in shown:
        calendar, _ = await load_calendar(conn, centre_id, counselor_id)
        for absence in calendar.absences.values() if calendar else []:
            day = max(absence.first_day, first)
            while day <= min(absence.last_day, last):
                days_off.append({"day": day, "kind": "absence", "label": absence.label, "counselor_id": counselor_id})
                day += timedelta(days=1)
    slots = await queries.free_slots_between(conn, centre_id, shown, start, end)
    return CalendarView(bookings, groups, sorted(days_off, key=lambda d: d["day"]), slots)
