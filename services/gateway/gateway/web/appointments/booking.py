"""The client's booking flow, one question per step: (1) which counseling and with whom (a person,
or "anyone": whoever is free first), (2) which time, then the time is held for the centre's hold
time while (3) the client checks and books. No time pressure: after the hold expires the client can
still book the same time as long as it is free (the page says so). After booking: the
appointment's page with the .ics file (`mine.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call
from gateway.web.appointments import API, appointments_page, at, by_day, free_slots, local, offer_of, when_text
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import lang_of, require_user, see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
HOLD = "appointment_hold"
"""The session's key for the held time: {centre_id, hold_id, counselor_id, service_id, starts_at, expires_at}."""


def _flow(centre_id: str) -> str:
    return f"/beratung/{centre_id}/termin-buchen"


async def _choose_page(
    request: Request, centre_id: str, service_id: str, counselor_id: str, status_code: int = 200, errors=None
) -> Response:
    lang = lang_of(request)
    offer = await offer_of(request, centre_id)
    if service_id not in offer.services:  # the first service until the client chooses another
        service_id = next(iter(offer.services), "")
    if counselor_id not in offer.counselors:
        counselor_id = ""
    slots = await free_slots(request, centre_id, service_id, counselor_id or None) if service_id else []
    return appointments_page(
        request,
        "appointments/book.html",
        status_code=status_code,
        title=at(request, "book_title"),
        centre_id=centre_id,
        offer=offer,
        service_id=service_id,
        counselor_id=counselor_id,
        days=by_day(lang, slots, one_per_time=not counselor_id),
        errors=errors or {},
    )


@router.get("/beratung/{centre_id}/termin-buchen", response_class=HTMLResponse)
async def choose(request: Request, centre_id: str) -> Response:
    require_user(request, "client")
    query = request.query_params
    return await _choose_page(request, centre_id, query.get("service", ""), query.get("counselor", ""))


@router.post("/beratung/{centre_id}/termin-buchen", response_class=HTMLResponse)
async def reserve(request: Request, centre_id: str) -> Response:
    require_user(request, "client")
    form = await request.form()
    service_id, counselor_id, starts_at = (str(form.get(k, "")) for k in ("service", "counselor", "slot"))
    if not service_id:
        return await _choose_page(request, centre_id, "", counselor_id, 422, {"service": at(request, "choose_service")})
    if not starts_at:
        errors = {"slot": at(request, "choose_slot")}
        return await _choose_page(request, centre_id, service_id, counselor_id, 422, errors)
    response = await call(
        request,
        "appointments",
        "POST",
        f"{API}/centres/{centre_id}/holds",
        json={"service_id": service_id, "counselor_id": counselor_id or None, "starts_at": starts_at},
        expect={201, 403, 409, 422},
    )
    if response.status_code != 201:
        names = {"form": "slot", "starts_at": "slot", "service_id": "service", "counselor_id": "counselor"}
        return await _choose_page(request, centre_id, service_id, counselor_id, 422, field_errors(response, names))
    held = response.json()
    session_of(request).set(
        HOLD,
        {
            "centre_id": centre_id,
            "hold_id": held["hold_id"],
            "counselor_id": held["counselor_id"],
            "service_id": service_id,
            "starts_at": starts_at,
            "expires_at": held["expires_at"],
        },
    )
    return see_other(f"{_flow(centre_id)}/pruefen")


def _held(request: Request, centre_id: str) -> dict[str, Any] | None:
    held = session_of(request).get(HOLD)
    return held if held and held.get("centre_id") == centre_id else None


async def _check_page(
    request: Request, centre_id: str, held: dict[str, Any], status_code: int = 200, errors=None
) -> Response:
    lang = lang_of(request)
    offer = await offer_of(request, centre_id)
    service = offer.services.get(held["service_id"], {})
    expires = datetime.fromisoformat(held["expires_at"])
    minutes = max(0, round((expires - datetime.now(UTC)).total_seconds() / 60))
    return appointments_page(
        request,
        "appointments/check.html",
        status_code=status_code,
        title=at(request, "step_3"),
        centre_id=centre_id,
        when=when_text(lang, held["starts_at"]),
        service_text=offer.service_text(lang, held["service_id"]),
        counselor=offer.counselor_name(lang, held["counselor_id"]),
        address=service.get("address"),
        held_text=at(request, "held_until", time=local(expires).strftime("%H:%M"), minutes=minutes),
        back=f"{_flow(centre_id)}?service={held['service_id']}",
        errors=errors or {},
    )


@router.get("/beratung/{centre_id}/termin-buchen/pruefen", response_class=HTMLResponse)
async def check(request: Request, centre_id: str) -> Response:
    require_user(request, "client")
    held = _held(request, centre_id)
    if held is None:
        return await _choose_page(request, centre_id, "", "", 404, {"slot": at(request, "hold_gone")})
    return await _check_page(request, centre_id, held)


@router.post("/beratung/{centre_id}/termin-buchen/pruefen", response_class=HTMLResponse)
async def book(request: Request, centre_id: str) -> Response:
    require_user(request, "client")
    held = _held(request, centre_id)
    if held is None:
        return await _choose_page(request, centre_id, "", "", 422, {"slot": at(request, "hold_gone")})
    path = f"{API}/centres/{centre_id}/bookings"
    expect = {201, 403, 404, 409, 422}
    response = await call(
        request,
        "appointments",
        "POST",
        path,
        json={"hold_id": held["hold_id"], "counselor_id": held["counselor_id"]},
        expect=expect,
    )
    if response.status_code == 404:  # the hold expired and was swept: book the same time if still free
        at_once = {
            "service_id": held["service_id"],
            "counselor_id": held["counselor_id"],
            "starts_at": held["starts_at"],
        }
        response = await call(request, "appointments", "POST", path, json=at_once, expect=expect)
    if response.status_code != 201:
        return await _check_page(request, centre_id, held, 409, field_errors(response, {"form": "confirm"}))
    session = session_of(request)
    session.pop(HOLD)
    session.set("notice", "appointment_booked")
    return see_other(f"/mein-beratungskonto/termine/{response.json()['booking_id']}")
