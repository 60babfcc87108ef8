"""Use cases of group appointments: staff schedule, update and cancel them and add participants;
clients take a seat of a bookable one and leave it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app import access
from appointments.app.streams import commit_calendar, load_calendar, load_centre, lock_calendar, now
from appointments.domain import groups
from appointments.domain.calendar import Calendar
from appointments.domain.events import CalendarEvent
from appointments.readmodels import queries
from teilhabe_events.contexts.appointments import Party
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound, Unprocessable


async def _on_calendar(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    counselor_id: str,
    decide: Any,
) -> Calendar:
    await lock_calendar(conn, centre_id, counselor_id, create=principal.account_id == counselor_id)
    centre, _ = await load_centre(conn, centre_id)
    loaded = await load_calendar(conn, centre_id, counselor_id)
    calendar = loaded.state or Calendar(centre_id, counselor_id)
    events: list[CalendarEvent] = decide(calendar, now())
    committed = await commit_calendar(
        conn, centre, loaded, centre_id, counselor_id, events, actor_id=principal.account_id
    )
    assert committed.state is not None
    return committed.state


async def schedule(
    conn: AsyncConnection, principal: Principal, centre_id: str, counselor_id: str, plan: groups.GroupPlan
) -> str:
    """Staff schedule a group appointment for a counselor of the centre (themselves, or any as admin)."""
    access.require_calendar_owner(principal, centre_id, counselor_id)
    group_id = str(uuid.uuid4())
    await _on_calendar(conn, principal, centre_id, counselor_id, lambda c, at: groups.schedule(c, group_id, plan, at))
    return group_id


async def _group_row(
    conn: AsyncConnection, principal: Principal, group_id: str, *, client_may_see: bool
) -> dict[str, Any]:
    row = await queries.group(conn, group_id)
    visible = row is not None and (
        access.staff_of(principal, row["centre_id"])
        or (client_may_see and access.client_of(principal, row["centre_id"]) and row["bookable_by_clients"])
        or (access.client_of(principal, row["centre_id"]) and principal.account_id in row["participants"])
    )
    if row is None or not visible:
        raise NotFound(groups.NO_GROUP, en="There is no such group appointment.")
    return row


async def update(conn: AsyncConnection, principal: Principal, group_id: str, plan: groups.GroupPlan) -> None:
    row = await _group_row(conn, principal, group_id, client_may_see=False)
    access.require_calendar_owner(principal, row["centre_id"], row["counselor_id"])
    await _on_calendar(
        conn, principal, row["centre_id"], row["counselor_id"], lambda c, at: groups.update(c, group_id, plan, at)
    )


async def cancel(conn: AsyncConnection, principal: Principal, group_id: str) -> None:
    row = await _group_row(conn, principal, group_id, client_may_see=False)
    access.require_calendar_owner(principal, row["centre_id"], row["counselor_id"])
    await _on_calendar(conn, principal, row["centre_id"], row["counselor_id"], lambda c, at: groups.cancel(c, group_id))


def _who(principal: Principal, row: dict[str, Any], client_id: str | None) -> tuple[str, Party]:
    if access.staff_of(principal, row["centre_id"]):
        if not client_id:
            raise Unprocessable("Bitte wählen Sie die ratsuchende Person.", field="client_id", en="Choose the client.")
        return client_id, "staff"
    return principal.account_id, "client"


async def join(conn: AsyncConnection, principal: Principal, group_id: str, client_id: str | None) -> str:
    row = await _group_row(conn, principal, group_id, client_may_see=True)
    participant, by = _who(principal, row, client_id)

    def decide(calendar: Calendar, at: datetime) -> list[CalendarEvent]:
        return list(groups.add_participant(calendar, group_id, participant, by, at))

    await _on_calendar(conn, principal, row["centre_id"], row["counselor_id"], decide)
    return participant


async def leave(conn: AsyncConnection, principal: Principal, group_id: str, client_id: str) -> None:
    row = await _group_row(conn, principal, group_id, client_may_see=False)
    participant, by = _who(principal, row, client_id)
    if by == "client" and client_id != principal.account_id:
        raise NotFound(groups.NO_GROUP, en="There is no such group appointment.")

    def decide(calendar: Calendar, at: datetime) -> list[CalendarEvent]:
        return list(groups.remove_participant(calendar, group_id, participant, by))

    await _on_calendar(conn, principal, row["centre_id"], row["counselor_id"], decide)


async def visible(conn: AsyncConnection, principal: Principal, group_id: str) -> dict[str, Any]:
    """A group appointment for the centre's staff, its participants and (if bookable) clients;
    `staff` says whether the caller sees the participants."""
    row = await _group_row(conn, principal, group_id, client_may_see=True)
    return row | {"staff": access.staff_of(principal, row["centre_id"])}
