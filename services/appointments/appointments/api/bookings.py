"""Booking: a client holds a slot and confirms it (or books it at once), staff book for a client;
cancel and reschedule; the appointment as iCalendar; a client's own appointments."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from appointments.api.common import PROBLEMS, Caller, engine
from appointments.api.models import BookIn, BookingCreated, BookingOut, HoldIn, HoldOut, MyAppointments, RescheduleIn
from appointments.api.views import group_out
from appointments.app import access
from appointments.app import booking as use
from appointments.app.streams import load_centre
from appointments.ical import booking_ics
from appointments.readmodels import queries
from teilhabe_kit import streams
from teilhabe_kit.documents import download_headers
from teilhabe_kit.problems import Forbidden, Unprocessable

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments: booking"])


def _ics_url(booking_id: str) -> str:
    return f"/api/v1/appointments/bookings/{booking_id}/appointment.ics"


@router.post(
    "/centres/{centre_id}/holds",
    status_code=201,
    response_model=HoldOut,
    responses=PROBLEMS,
    summary="Reserve a slot while the client confirms (hidden from others for the centre's hold time) (client)",
)
async def post_hold(request: Request, centre_id: str, body: HoldIn, principal: Caller):
    async def work(conn):
        return await use.hold(
            conn,
            principal,
            centre_id,
            counselor_id=body.counselor_id,
            service_id=body.service_id,
            starts_at=body.starts_at,
        )

    hold_id, counselor_id, expires_at = await streams.retrying(engine(request), work)
    return {"hold_id": hold_id, "counselor_id": counselor_id, "expires_at": expires_at}


@router.post(
    "/centres/{centre_id}/bookings",
    status_code=201,
    response_model=BookingCreated,
    responses=PROBLEMS,
    summary="Book: confirm a hold or a waitlist offer (`hold_id`, `counselor_id`; client), or a slot at once "
    "(`service_id`, `starts_at`, `counselor_id` or null for any; staff name the `client_id`)",
)
async def post_booking(request: Request, centre_id: str, body: BookIn, principal: Caller):
    async def work(conn):
        if body.hold_id is not None:
            if body.counselor_id is None:
                raise Unprocessable("Bitte geben Sie die Beraterin oder den Berater an.", field="counselor_id")
            booking_id = await use.confirm(
                conn, principal, centre_id, counselor_id=body.counselor_id, hold_id=body.hold_id
            )
            return booking_id, body.counselor_id
        if body.service_id is None:
            raise Unprocessable("Bitte wählen Sie eine Beratungsleistung.", field="service_id", en="Choose a service.")
        if body.starts_at is None:
            raise Unprocessable("Bitte wählen Sie einen Termin.", field="starts_at", en="Choose a slot.")
        return await use.book(
            conn,
            principal,
            centre_id,
            counselor_id=body.counselor_id,
            service_id=body.service_id,
            starts_at=body.starts_at,
            client_id=body.client_id,
        )

    booking_id, counselor_id = await streams.retrying(engine(request), work)
    return {"booking_id": booking_id, "counselor_id": counselor_id, "ics_url": _ics_url(booking_id)}


@router.get(
    "/bookings/{booking_id}",
    response_model=BookingOut,
    responses=PROBLEMS,
    summary="One appointment (its client, the centre's staff)",
)
async def get_booking(request: Request, booking_id: str, principal: Caller):
    async with engine(request).connect() as conn:
        return await use.read(conn, principal, booking_id)


@router.get(
    "/bookings/{booking_id}/appointment.ics",
    responses=PROBLEMS | {200: {"content": {"text/calendar": {}}}},
    response_class=Response,
    summary="The appointment as an iCalendar file (its client, the centre's staff)",
)
async def get_ics(request: Request, booking_id: str, principal: Caller):
    async with engine(request).connect() as conn:
        row = await use.read(conn, principal, booking_id)
        centre, _ = await load_centre(conn, row["centre_id"])
    body = booking_ics(row, centre.services.get(row["service_id"]))
    return Response(body, media_type="text/calendar; charset=utf-8", headers=download_headers("termin.ics"))


@router.post(
    "/bookings/{booking_id}/cancel",
    status_code=204,
    responses=PROBLEMS,
    summary="Cancel (client until the notice period, staff always)",
)
async def post_cancel(request: Request, booking_id: str, principal: Caller):
    await streams.retrying(engine(request), lambda conn: use.cancel(conn, principal, booking_id))
    return Response(status_code=204)


@router.post(
    "/bookings/{booking_id}/reschedule",
    response_model=BookingOut,
    responses=PROBLEMS,
    summary="Move to another free slot of the same counselor and service (client until the notice period, staff always)",
)
async def post_reschedule(request: Request, booking_id: str, body: RescheduleIn, principal: Caller):
    await streams.retrying(engine(request), lambda conn: use.reschedule(conn, principal, booking_id, body.starts_at))
    async with engine(request).connect() as conn:
        return await use.read(conn, principal, booking_id)


@router.get(
    "/me",
    response_model=MyAppointments,
    responses=PROBLEMS,
    summary="The signed-in client's appointments, groups and waitlist entries",
)
async def get_mine(request: Request, principal: Caller):
    if not access.is_client(principal):
        raise Forbidden("Diese Seite gibt es nur für Ratsuchende.", en="This is for clients only.")
    async with engine(request).connect() as conn:
        bookings = await queries.bookings_of_client(conn, principal.account_id)
        groups = await queries.groups_of_client(conn, principal.account_id)
        waiting = await queries.waitlist_of_client(conn, principal.account_id)
    return {"bookings": bookings, "groups": [group_out(g, staff=False) for g in groups], "waitlist": waiting}
