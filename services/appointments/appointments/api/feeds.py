"""The counselor's private iCalendar feed: create (the URL shown once), state, revoke; and the feed
itself, public by its secret token (404 unknown, 410 revoked)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from appointments.api.common import PROBLEMS, Caller, engine
from appointments.app import feeds
from appointments.app.streams import load_centre
from appointments.ical import feed_ics

router = APIRouter(prefix="/api/v1/appointments", tags=["appointments: calendar feed"])
OWN = "/centres/{centre_id}/counselors/{counselor_id}/feed"


class FeedCreated(BaseModel):
    url: str
    """The feed's path with its secret token: shown once, not stored in clear."""


class FeedState(BaseModel):
    active_since: datetime | None


@router.post(
    OWN,
    status_code=201,
    response_model=FeedCreated,
    responses=PROBLEMS,
    summary="A new private calendar address (the old one stops working); shown once (the counselor themselves)",
)
async def post_feed(request: Request, centre_id: str, counselor_id: str, principal: Caller):
    async with engine(request).begin() as conn:
        token = await feeds.create(conn, principal, centre_id, counselor_id)
    body = FeedCreated(url=f"/api/v1/appointments/feeds/{token}.ics").model_dump()
    return JSONResponse(body, status_code=201, headers={"Cache-Control": "no-store"})


@router.get(
    OWN, response_model=FeedState, responses=PROBLEMS, summary="Whether a calendar address works (the counselor)"
)
async def get_feed(request: Request, centre_id: str, counselor_id: str, principal: Caller):
    async with engine(request).connect() as conn:
        return {"active_since": await feeds.active_since(conn, principal, centre_id, counselor_id)}


@router.delete(OWN, status_code=204, responses=PROBLEMS, summary="Revoke the calendar address (the counselor)")
async def delete_feed(request: Request, centre_id: str, counselor_id: str, principal: Caller):
    async with engine(request).begin() as conn:
        await feeds.revoke(conn, principal, centre_id, counselor_id)
    return Response(status_code=204)


@router.get(
    "/feeds/{token}.ics",
    responses=PROBLEMS | {200: {"content": {"text/calendar": {}}}, 410: {"description": "revoked"}},
    response_class=Response,
    summary="The counselor's appointments as an iCalendar feed, by the secret token (no names)",
)
async def get_feed_ics(request: Request, token: str = Path(min_length=20, max_length=100)):
    async with engine(request).connect() as conn:
        bookings, groups = await feeds.entries(conn, token)
        centre_id = bookings[0]["centre_id"] if bookings else (groups[0]["centre_id"] if groups else None)
        services = (await load_centre(conn, centre_id))[0].services if centre_id else {}
    return Response(
        feed_ics(bookings, groups, services),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
