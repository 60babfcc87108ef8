"""Group appointments (staff schedule them; clients join bookable ones) and the waitlist (clients)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from appointments.api.common import PROBLEMS, Caller, engine
from appointments.api.models import Created, GroupIn, GroupOut, ParticipantIn, WaitlistIn
from appointments.api.views import group_out
from appointments.app import groups as use
from appointments.app import waitlist
from appointments.domain.groups import GroupPlan
from teilhabe_kit import streams

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments: groups and waitlist"])


def _plan(body: GroupIn) -> GroupPlan:
    return GroupPlan(**(body.model_dump() | {"client_group_ids": tuple(body.client_group_ids)}))


@router.post(
    "/centres/{centre_id}/counselors/{counselor_id}/groups",
    status_code=201,
    response_model=Created,
    responses=PROBLEMS,
    summary="Schedule a group appointment (or an internal meeting) for a counselor (the counselor, admins)",
)
async def post_group(request: Request, centre_id: str, counselor_id: str, body: GroupIn, principal: Caller):
    plan = _plan(body)
    group_id = await streams.retrying(
        engine(request), lambda conn: use.schedule(conn, principal, centre_id, counselor_id, plan)
    )
    return {"id": group_id}


async def _answer(request: Request, principal, group_id: str):
    async with engine(request).connect() as conn:
        row = await use.visible(conn, principal, group_id)
    return group_out(row, staff=row["staff"])


@router.get(
    "/groups/{group_id}",
    response_model=GroupOut,
    responses=PROBLEMS,
    summary="A group appointment (staff; clients: bookable or joined)",
)
async def get_group(request: Request, group_id: str, principal: Caller):
    return await _answer(request, principal, group_id)


@router.put(
    "/groups/{group_id}",
    response_model=GroupOut,
    responses=PROBLEMS,
    summary="Change a group appointment (its counselor, admins)",
)
async def put_group(request: Request, group_id: str, body: GroupIn, principal: Caller):
    plan = _plan(body)
    await streams.retrying(engine(request), lambda conn: use.update(conn, principal, group_id, plan))
    return await _answer(request, principal, group_id)


@router.post(
    "/groups/{group_id}/cancel",
    status_code=204,
    responses=PROBLEMS,
    summary="Cancel a group appointment (its counselor, admins)",
)
async def cancel_group(request: Request, group_id: str, principal: Caller):
    await streams.retrying(engine(request), lambda conn: use.cancel(conn, principal, group_id))
    return Response(status_code=204)


@router.post(
    "/groups/{group_id}/participants",
    status_code=201,
    response_model=Created,
    responses=PROBLEMS,
    summary="Take a seat (client, if bookable) or add a client (staff); 409 when full",
)
async def post_participant(request: Request, group_id: str, body: ParticipantIn, principal: Caller):
    client_id = await streams.retrying(
        engine(request), lambda conn: use.join(conn, principal, group_id, body.client_id)
    )
    return {"id": client_id}


@router.delete(
    "/groups/{group_id}/participants/{client_id}",
    status_code=204,
    responses=PROBLEMS,
    summary="Leave (client) or take off (staff)",
)
async def delete_participant(request: Request, group_id: str, client_id: str, principal: Caller):
    await streams.retrying(engine(request), lambda conn: use.leave(conn, principal, group_id, client_id))
    return Response(status_code=204)


@router.post(
    "/centres/{centre_id}/counselors/{counselor_id}/waitlist",
    status_code=201,
    response_model=Created,
    responses=PROBLEMS,
    summary="Ask for an earlier slot of a service with this counselor; a freed one is offered in turn (client)",
)
async def post_waitlist(request: Request, centre_id: str, counselor_id: str, body: WaitlistIn, principal: Caller):
    entry_id = await streams.retrying(
        engine(request),
        lambda conn: waitlist.join(
            conn, principal, centre_id, counselor_id, service_id=body.service_id, wanted_before=body.wanted_before
        ),
    )
    return {"id": entry_id}


@router.delete("/waitlist/{entry_id}", status_code=204, responses=PROBLEMS, summary="Leave the waitlist (client)")
async def delete_waitlist(request: Request, entry_id: str, principal: Caller):
    await streams.retrying(engine(request), lambda conn: waitlist.leave(conn, principal, entry_id))
    return Response(status_code=204)
