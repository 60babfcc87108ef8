"""A centre's offer, for everybody (no login): services as clients see them, counselors' display
names, free slots and bookable group appointments. Nothing personal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import AwareDatetime

from appointments.api.common import PROBLEMS, engine
from appointments.api.models import CounselorOut, GroupOut, PublicServiceOut, SlotOut
from appointments.api.views import group_out
from appointments.app import slots
from appointments.app.streams import load_centre, now
from appointments.domain.values import CHANNEL_LABELS
from appointments.readmodels import queries

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments: public"])


@router.get(
    "/centres/{centre_id}/offer/services",
    response_model=list[PublicServiceOut],
    responses=PROBLEMS,
    summary="The counseling services clients can book (no internal names)",
)
async def public_services(request: Request, centre_id: str):
    async with engine(request).connect() as conn:
        centre, _ = await load_centre(conn, centre_id)
    return [
        s.model_dump() | {"channel_de": CHANNEL_LABELS[s.channel][0], "channel_en": CHANNEL_LABELS[s.channel][1]}
        for s in centre.services.values()
        if not s.retired
    ]


@router.get(
    "/centres/{centre_id}/offer/counselors",
    response_model=list[CounselorOut],
    responses=PROBLEMS,
    summary="Counselors with booking times, by the name they show clients",
)
async def public_counselors(request: Request, centre_id: str):
    async with engine(request).connect() as conn:
        return [dict(r._mapping) for r in await queries.counselors(conn, centre_id)]


@router.get(
    "/centres/{centre_id}/offer/slots",
    response_model=list[SlotOut],
    responses=PROBLEMS,
    summary="Free slots from the earliest bookable moment to the end of the centre's horizon, by start",
)
async def public_slots(
    request: Request,
    centre_id: str,
    service_id: Annotated[str | None, Query(max_length=100)] = None,
    counselor_id: Annotated[str | None, Query(max_length=100, description="leave out for any counselor")] = None,
    first: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    last: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    found = await slots.free(
        engine(request),
        centre_id,
        service_id=service_id,
        counselor_id=counselor_id,
        first=first,
        last=last,
        limit=limit,
    )
    return [dict(r._mapping) for r in found]


@router.get(
    "/centres/{centre_id}/offer/groups",
    response_model=list[GroupOut],
    responses=PROBLEMS,
    summary="Upcoming group appointments clients can join, with the seats left",
)
async def public_groups(request: Request, centre_id: str):
    async with engine(request).connect() as conn:
        rows = await queries.groups_of_centre(conn, centre_id, now(), bookable_only=True)
    return [group_out(r, staff=False) for r in rows]
