"""The centre's side: rules and counseling services (admins), a counselor's profile, booking times
and absences (the counselor, or the admins), and the staff's calendar."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from appointments.api.common import PROBLEMS, Caller, engine
from appointments.api.models import (
    AbsenceCreated,
    AbsenceIn,
    BookingTimeIn,
    BookingTimesIn,
    CalendarOut,
    CalendarSetup,
    ProfileIn,
    RulesIn,
    ServiceIn,
    ServiceOut,
)
from appointments.api.views import booking_out, calendar_view, group_out
from appointments.app import access
from appointments.app import setup as use
from appointments.app.streams import load_centre
from appointments.domain.calendar import Calendar
from appointments.domain.values import CounselingService
from teilhabe_kit.localtime import BERLIN

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments: centre"])


@router.get(
    "/centres/{centre_id}/settings",
    response_model=RulesIn,
    responses=PROBLEMS,
    summary="The centre's booking rules (staff)",
)
async def get_rules(request: Request, centre_id: str, principal: Caller):
    access.require_staff(principal, centre_id)
    async with engine(request).connect() as conn:
        centre, _ = await load_centre(conn, centre_id)
    return centre.rules.model_dump() | {"closing_days": list(centre.rules.closing_days)}


@router.put(
    "/centres/{centre_id}/settings",
    response_model=RulesIn,
    responses=PROBLEMS,
    summary="Set the booking horizon (1, 2, 4 or 8 weeks), the state's holidays, notice, hold and closing days (admins)",
)
async def put_rules(request: Request, centre_id: str, body: RulesIn, principal: Caller):
    async with engine(request).begin() as conn:
        centre = await use.change_rules(conn, principal, centre_id, body.rules())
    return centre.rules.model_dump() | {"closing_days": list(centre.rules.closing_days)}


@router.get(
    "/centres/{centre_id}/services",
    response_model=list[ServiceOut],
    responses=PROBLEMS,
    summary="Every counseling service with its internal name (staff)",
)
async def list_services(request: Request, centre_id: str, principal: Caller):
    access.require_staff(principal, centre_id)
    async with engine(request).connect() as conn:
        centre, _ = await load_centre(conn, centre_id)
    return [s.model_dump() for s in centre.services.values()]


@router.post(
    "/centres/{centre_id}/services",
    status_code=201,
    response_model=ServiceOut,
    responses=PROBLEMS,
    summary="Add a counseling service (Beratungsleistung) (admins)",
)
async def add_service(request: Request, centre_id: str, body: ServiceIn, principal: Caller):
    service = CounselingService(service_id=str(uuid.uuid4()), **body.model_dump())
    async with engine(request).begin() as conn:
        await use.define_service(conn, principal, service, centre_id)
    return service.model_dump()


@router.put(
    "/centres/{centre_id}/services/{service_id}",
    response_model=ServiceOut,
    responses=PROBLEMS,
    summary="Change a counseling service (admins)",
)
async def change_service(request: Request, centre_id: str, service_id: str, body: ServiceIn, principal: Caller):
    async with engine(request).begin() as conn:
        known = await use.existing_service(conn, principal, centre_id, service_id)
        service = CounselingService(service_id=service_id, retired=known.retired, **body.model_dump())
        await use.define_service(conn, principal, service, centre_id)
    return service.model_dump()


@router.delete(
    "/centres/{centre_id}/services/{service_id}",
    status_code=204,
    responses=PROBLEMS,
    summary="Retire a counseling service: no new slots; booked appointments stay (admins)",
)
async def retire_service(request: Request, centre_id: str, service_id: str, principal: Caller):
    async with engine(request).begin() as conn:
        known = await use.existing_service(conn, principal, centre_id, service_id)
        await use.define_service(conn, principal, known.model_copy(update={"retired": True}), centre_id)
    return Response(status_code=204)


def _setup(calendar: Calendar) -> CalendarSetup:
    return CalendarSetup(
        counselor_id=calendar.counselor_id,
        display_name=calendar.display_name,
        only_regular_clients=calendar.only_regular_clients,
        video_url=calendar.video_url,
        booking_times=[BookingTimeIn(**t.model_dump()) for t in calendar.booking_times],
        absences=[
            {
                "absence_id": a.absence_id,
                "first_day": a.first_day.isoformat(),
                "last_day": a.last_day.isoformat(),
                "label": a.label,
            }
            for a in sorted(calendar.absences.values(), key=lambda a: a.first_day)
        ],
    )


COUNSELOR = "/centres/{centre_id}/counselors/{counselor_id}"


@router.get(
    COUNSELOR,
    response_model=CalendarSetup,
    responses=PROBLEMS,
    summary="A counselor's profile, booking times and absences (staff)",
)
async def get_setup(request: Request, centre_id: str, counselor_id: str, principal: Caller):
    async with engine(request).connect() as conn:
        return _setup(await use.read_calendar(conn, principal, centre_id, counselor_id))


@router.put(
    f"{COUNSELOR}/profile",
    response_model=CalendarSetup,
    responses=PROBLEMS,
    summary="What clients see of the counselor, and 'only regular clients' (the counselor, admins)",
)
async def put_profile(request: Request, centre_id: str, counselor_id: str, body: ProfileIn, principal: Caller):
    async with engine(request).begin() as conn:
        calendar = await use.change_profile(conn, principal, centre_id, counselor_id, **body.model_dump())
    return _setup(calendar)


@router.put(
    f"{COUNSELOR}/booking-times",
    response_model=CalendarSetup,
    responses=PROBLEMS,
    summary="The weekly booking times, each for one service; services may overlap (parallel slots) (the counselor, admins)",
)
async def put_booking_times(
    request: Request, centre_id: str, counselor_id: str, body: BookingTimesIn, principal: Caller
):
    times = [t.value() for t in body.booking_times]
    async with engine(request).begin() as conn:
        calendar = await use.set_booking_times(conn, principal, centre_id, counselor_id, times)
    return _setup(calendar)


@router.post(
    f"{COUNSELOR}/absences",
    status_code=201,
    response_model=AbsenceCreated,
    responses=PROBLEMS,
    summary="Record an absence; its slots disappear; answers the bookings inside it to move (the counselor, admins)",
)
async def post_absence(request: Request, centre_id: str, counselor_id: str, body: AbsenceIn, principal: Caller):
    async with engine(request).begin() as conn:
        centre, _ = await load_centre(conn, centre_id)
        absence_id, inside = await use.record_absence(conn, principal, centre_id, counselor_id, **body.model_dump())
    return {"absence_id": absence_id, "bookings_to_move": [booking_out(b, centre, counselor_id) for b in inside]}


@router.delete(
    f"{COUNSELOR}/absences/{{absence_id}}",
    status_code=204,
    responses=PROBLEMS,
    summary="Remove an absence (the counselor, admins)",
)
async def delete_absence(request: Request, centre_id: str, counselor_id: str, absence_id: str, principal: Caller):
    async with engine(request).begin() as conn:
        await use.remove_absence(conn, principal, centre_id, counselor_id, absence_id)
    return Response(status_code=204)


@router.get(
    "/centres/{centre_id}/calendar",
    response_model=CalendarOut,
    responses=PROBLEMS,
    summary="The staff's calendar of a period (default: this week): own, colleagues' or all appointments, days off, free slots",
)
async def get_calendar(
    request: Request,
    centre_id: str,
    principal: Caller,
    first: Annotated[date | None, Query(alias="from")] = None,
    days: Annotated[int, Query(ge=1, le=62)] = 7,
    show: Annotated[Literal["own", "others", "all"], Query()] = "own",
):
    access.require_staff(principal, centre_id)
    start = first or (datetime.now(BERLIN).date() - timedelta(days=datetime.now(BERLIN).weekday()))
    async with engine(request).connect() as conn:
        view = await calendar_view(conn, principal.account_id, centre_id, start, days, show)
    return {
        "bookings": view.bookings,
        "groups": [group_out(g, staff=True) for g in view.groups],
        "days_off": view.days_off,
        "free_slots": view.free_slots,
    }
