"""The client's own appointments ("Meine Termine"): the list, one appointment with its calendar file
(.ics), cancel and move. The appointments service decides: the notice period refuses a late cancel
or move with a German message that names the hours and says to call the centre; the page shows it
at the button."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.appointments import API, Offer, appointments_page, at, by_day, free_slots, local, offer_of, when_text
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import lang_of, require_user, see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
MINE = "/mein-beratungskonto/termine"


def _shown(lang: str, row: dict[str, Any], offer: Offer) -> dict[str, Any]:
    service = offer.services.get(row["service_id"], {})
    return row | {
        "when": when_text(lang, row["starts_at"], row["ends_at"]),
        "service_text": offer.service_text(lang, row["service_id"]),
        "counselor": offer.counselor_name(lang, row["counselor_id"]),
        "address": service.get("address") if service.get("channel") == "on_site" else None,
    }


@router.get(MINE, response_class=HTMLResponse)
async def mine(request: Request) -> Response:
    require_user(request, "client")
    lang = lang_of(request)
    mine = await get_json(request, "appointments", f"{API}/me")
    offers: dict[str, Offer] = {}
    shown = []
    for row in mine["bookings"]:
        if row["status"] != "booked":
            continue
        if row["centre_id"] not in offers:
            offers[row["centre_id"]] = await offer_of(request, row["centre_id"])
        shown.append(_shown(lang, row, offers[row["centre_id"]]))
    centre_id = (session_of(request).get("client_login") or {}).get("centre_id")
    return appointments_page(
        request, "appointments/mine.html", title=at(request, "mine_title"), bookings=shown, centre_id=centre_id
    )


async def _booking(request: Request, booking_id: str) -> dict[str, Any]:
    """The client's appointment, shaped for the page (another person's: 404 from the service)."""
    require_user(request, "client")
    row = await get_json(request, "appointments", f"{API}/bookings/{booking_id}")
    return _shown(lang_of(request), row, await offer_of(request, row["centre_id"]))


@router.get(MINE + "/{booking_id}", response_class=HTMLResponse)
async def one(request: Request, booking_id: str) -> Response:
    booking = await _booking(request, booking_id)
    return appointments_page(request, "appointments/booking.html", title=at(request, "booked_title"), **booking)


@router.get(MINE + "/{booking_id}/termin.ics")
async def calendar_file(request: Request, booking_id: str) -> Response:
    require_user(request, "client")
    response = await call(request, "appointments", "GET", f"{API}/bookings/{booking_id}/appointment.ics", expect={200})
    disposition = response.headers.get("content-disposition", 'attachment; filename="termin.ics"')
    return Response(
        response.content,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@router.get(MINE + "/{booking_id}/absagen", response_class=HTMLResponse)
async def cancel_form(request: Request, booking_id: str) -> Response:
    booking = await _booking(request, booking_id)
    return appointments_page(request, "appointments/cancel.html", title=at(request, "cancel_title"), **booking)


@router.post(MINE + "/{booking_id}/absagen", response_class=HTMLResponse)
async def cancel(request: Request, booking_id: str) -> Response:
    booking = await _booking(request, booking_id)
    response = await call(
        request, "appointments", "POST", f"{API}/bookings/{booking_id}/cancel", expect={204, 409, 422}
    )
    if response.status_code != 204:
        errors = field_errors(response, {"form": "cancel"})
        return appointments_page(
            request, "appointments/cancel.html", 409, title=at(request, "cancel_title"), errors=errors, **booking
        )
    session_of(request).set("notice", "appointment_cancelled")
    return see_other(MINE)


async def _move_page(request: Request, booking: dict[str, Any], status_code: int = 200, errors=None) -> Response:
    slots = await free_slots(request, booking["centre_id"], booking["service_id"], booking["counselor_id"])
    return appointments_page(
        request,
        "appointments/move.html",
        status_code=status_code,
        title=at(request, "move_title"),
        days=by_day(lang_of(request), slots, one_per_time=True),
        errors=errors or {},
        **booking,
    )


@router.get(MINE + "/{booking_id}/verschieben", response_class=HTMLResponse)
async def move_form(request: Request, booking_id: str) -> Response:
    return await _move_page(request, await _booking(request, booking_id))


@router.post(MINE + "/{booking_id}/verschieben", response_class=HTMLResponse)
async def move(request: Request, booking_id: str) -> Response:
    booking = await _booking(request, booking_id)
    starts_at = str((await request.form()).get("slot", ""))
    if not starts_at:
        return await _move_page(request, booking, 422, {"slot": at(request, "choose_slot")})
    response = await call(
        request,
        "appointments",
        "POST",
        f"{API}/bookings/{booking_id}/reschedule",
        json={"starts_at": starts_at},
        expect={200, 409, 422},
    )
    if response.status_code != 200:
        return await _move_page(request, booking, 409, field_errors(response, {"form": "slot", "starts_at": "slot"}))
    session_of(request).set("notice", "appointment_moved")
    return see_other(f"{MINE}/{booking_id}")


@router.get(MINE + "/{booking_id}/video", response_class=HTMLResponse)
async def video(request: Request, booking_id: str) -> Response:
    """How to join a video appointment, with the room's guest link from messaging."""
    booking = await _booking(request, booking_id)
    found = await call(
        request, "messaging", "GET", f"/api/v1/messaging/appointments/{booking_id}/video-room", expect={200, 404}
    )
    room = found.json() if found.status_code == 200 else None
    time = local(booking["starts_at"]).strftime("%H:%M")
    return appointments_page(
        request,
        "appointments/video.html",
        title=at(request, "video_room"),
        steps=at(request, "video_steps", time=time).split("|"),
        room_url=(room.get("external_url") or room.get("guest_url")) if room else None,
        **booking,
    )
