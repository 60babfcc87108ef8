"""Use cases of single appointments: hold, book (by a client or by staff for a client), confirm,
cancel, reschedule; "any counselor" tries the counselors free at that time one after the other."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app import access
from appointments.app.streams import commit_calendar, load_calendar, load_centre, lock_calendar, now
from appointments.domain import booking
from appointments.domain.calendar import Calendar
from appointments.domain.centre import Centre
from appointments.domain.events import CalendarEvent
from appointments.domain.rules import TAKEN, TAKEN_EN
from appointments.readmodels import queries
from teilhabe_events.contexts.appointments import Party
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable

T = TypeVar("T")
Decide = Callable[[Calendar, Centre, datetime], list[CalendarEvent]]


async def primary_counselor(conn: AsyncConnection, client_id: str, centre_id: str) -> str | None:
    """The client's primary counselor at the centre (from counseling's `PrimaryCounselorAssigned`)."""
    return await queries.primary_counselor(conn, client_id, centre_id)


async def _decide(
    conn: AsyncConnection, principal: Principal, centre: Centre, counselor_id: str, decide: Decide
) -> tuple[Calendar, list[CalendarEvent]]:
    await lock_calendar(conn, centre.centre_id, counselor_id, create=False)
    loaded = await load_calendar(conn, centre.centre_id, counselor_id)
    if loaded.state is None:
        raise NotFound("Für diese Beraterin oder diesen Berater gibt es hier keinen Kalender.")
    events = decide(loaded.state, centre, now())
    committed = await commit_calendar(
        conn, centre, loaded, centre.centre_id, counselor_id, events, actor_id=principal.account_id
    )
    assert committed.state is not None
    return committed.state, events


async def _on_some_counselor(
    conn: AsyncConnection,
    centre: Centre,
    counselor_id: str | None,
    service_id: str,
    starts_at: datetime,
    attempt: Callable[[str], Awaitable[T]],
) -> tuple[str, T]:
    """Run `attempt(counselor_id)` for the chosen counselor, or for "any": for each counselor with a
    free slot of the service at that time until one succeeds."""
    if counselor_id is not None:
        return counselor_id, await attempt(counselor_id)
    for candidate in await queries.counselors_free_at(conn, centre.centre_id, service_id, starts_at):
        try:
            return candidate, await attempt(candidate)
        except Conflict:
            continue
    raise Conflict(TAKEN, en=TAKEN_EN)


def _client(principal: Principal, client_id: str | None, centre_id: str) -> tuple[str, Party]:
    """Who the appointment is for: a client books for themselves, staff for a client they name."""
    if access.staff_of(principal, centre_id):
        if not client_id:
            raise Unprocessable("Bitte wählen Sie die ratsuchende Person.", field="client_id", en="Choose the client.")
        return client_id, "staff"
    access.require_client(principal, centre_id)
    return principal.account_id, "client"


async def hold(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    *,
    counselor_id: str | None,
    service_id: str,
    starts_at: datetime,
) -> tuple[str, str, datetime]:
    """Reserve a slot for the signed-in client; returns the hold id, the counselor and when it expires."""
    access.require_client(principal, centre_id)
    centre, _ = await load_centre(conn, centre_id)
    hold_id = str(uuid.uuid4())
    regular = await primary_counselor(conn, principal.account_id, centre_id)

    async def attempt(candidate: str) -> datetime:
        def decide(calendar: Calendar, centre: Centre, at: datetime) -> list[CalendarEvent]:
            return list(
                booking.hold(
                    calendar,
                    centre,
                    hold_id=hold_id,
                    client_id=principal.account_id,
                    service_id=service_id,
                    starts_at=starts_at,
                    now=at,
                    primary_counselor_id=regular,
                )
            )

        state, _ = await _decide(conn, principal, centre, candidate, decide)
        return state.holds[hold_id].expires_at

    chosen, expires_at = await _on_some_counselor(conn, centre, counselor_id, service_id, starts_at, attempt)
    return hold_id, chosen, expires_at


async def book(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    *,
    counselor_id: str | None,
    service_id: str,
    starts_at: datetime,
    client_id: str | None,
) -> tuple[str, str]:
    """Book at once (staff for a client, or a client without holding first); returns booking id and counselor."""
    for_client, by = _client(principal, client_id, centre_id)
    centre, _ = await load_centre(conn, centre_id)
    booking_id = str(uuid.uuid4())
    regular = await primary_counselor(conn, for_client, centre_id) if by == "client" else None

    async def attempt(candidate: str) -> None:
        def decide(calendar: Calendar, centre: Centre, at: datetime) -> list[CalendarEvent]:
            return list(
                booking.book(
                    calendar,
                    centre,
                    booking_id=booking_id,
                    client_id=for_client,
                    service_id=service_id,
                    starts_at=starts_at,
                    now=at,
                    booked_by=by,
                    primary_counselor_id=regular,
                )
            )

        await _decide(conn, principal, centre, candidate, decide)

    chosen, _ = await _on_some_counselor(conn, centre, counselor_id, service_id, starts_at, attempt)
    return booking_id, chosen


async def confirm(
    conn: AsyncConnection, principal: Principal, centre_id: str, *, counselor_id: str, hold_id: str
) -> str:
    """Book what the client held, or the slot the waitlist offered them; returns the booking id."""
    access.require_client(principal, centre_id)
    centre, _ = await load_centre(conn, centre_id)
    booking_id = str(uuid.uuid4())

    def decide(calendar: Calendar, centre: Centre, at: datetime) -> list[CalendarEvent]:
        return list(
            booking.confirm(
                calendar, centre, hold_id=hold_id, client_id=principal.account_id, booking_id=booking_id, now=at
            )
        )

    await _decide(conn, principal, centre, counselor_id, decide)
    return booking_id


async def _on_booking(conn: AsyncConnection, principal: Principal, booking_id: str) -> tuple[dict[str, Any], Party]:
    """The booking's row for its client or the centre's staff; 404 for everybody else."""
    row = await queries.booking(conn, booking_id)
    if row is None:
        raise NotFound(booking.NO_BOOKING, en="There is no such appointment.")
    if access.staff_of(principal, row["centre_id"]):
        return row, "staff"
    if access.client_of(principal, row["centre_id"]) and row["client_id"] == principal.account_id:
        return row, "client"
    raise NotFound(booking.NO_BOOKING, en="There is no such appointment.")


async def cancel(conn: AsyncConnection, principal: Principal, booking_id: str) -> None:
    row, by = await _on_booking(conn, principal, booking_id)
    if row["status"] != "booked":
        raise Conflict("Dieser Termin ist schon abgesagt.", en="This appointment is already cancelled.")
    centre, _ = await load_centre(conn, row["centre_id"])

    def decide(calendar: Calendar, centre: Centre, at: datetime) -> list[CalendarEvent]:
        return booking.cancel(calendar, centre, booking_id=booking_id, by=by, client_id=principal.account_id, now=at)

    await _decide(conn, principal, centre, row["counselor_id"], decide)


async def reschedule(conn: AsyncConnection, principal: Principal, booking_id: str, starts_at: datetime) -> None:
    row, by = await _on_booking(conn, principal, booking_id)
    if row["status"] != "booked":
        raise Conflict("Dieser Termin ist schon abgesagt.", en="This appointment is already cancelled.")
    centre, _ = await load_centre(conn, row["centre_id"])

    def decide(calendar: Calendar, centre: Centre, at: datetime) -> list[CalendarEvent]:
        return booking.reschedule(
            calendar, centre, booking_id=booking_id, starts_at=starts_at, by=by, client_id=principal.account_id, now=at
        )

    await _decide(conn, principal, centre, row["counselor_id"], decide)


async def read(conn: AsyncConnection, principal: Principal, booking_id: str) -> dict[str, Any]:
    row, _ = await _on_booking(conn, principal, booking_id)
    return row
