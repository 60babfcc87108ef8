"""The video room of a counseling appointment with channel video (issue 16): messaging learns the
booked video appointments from appointments' events; the room is made when its client or a
member of the centre's team first opens it, with the counselor as moderator — the counselor gets
the moderator and seminar links, everybody else the guest link. A cancelled appointment has no room."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import rooms
from messaging.readmodels.tables import video_appointments, video_rooms
from messaging.settings import Settings
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import NotFound

NO_ROOM = "Für diesen Termin gibt es keinen Video-Raum."


async def room(conn: AsyncConnection, principal: Principal, booking_id: str, settings: Settings) -> dict:
    """The appointment's room for its client or the centre's counselors and admins (404 for the rest)."""
    booked = select(video_appointments).where(video_appointments.c.booking_id == booking_id)
    row = (await conn.execute(booked.with_for_update())).first()  # one room even when both open it at once
    staff = (
        row is not None
        and principal.has(Role.COUNSELOR, Role.CENTRE_ADMIN)
        and principal.organisation_id == row.centre_id
    )
    client = row is not None and principal.has(Role.CLIENT) and principal.account_id == row.client_id
    if row is None or not (staff or client):
        raise NotFound(NO_ROOM, en="There is no video room for this appointment.")
    existing = (await conn.execute(select(video_rooms).where(video_rooms.c.booking_id == booking_id).limit(1))).first()
    if existing is not None:
        return rooms.view(existing, principal.account_id, settings)
    return await rooms.create_row(conn, row.counselor_id, principal.account_id, settings, booking_id=booking_id)
