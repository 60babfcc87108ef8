"""The public page of a centre's free appointments (no login): choose a counseling service, see the
next free slots by day. Booking itself needs the client's sign-in (`booking.py`)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.appointments import appointments_page, by_day, free_slots, offer_of
from gateway.web.render import lang_of

router = APIRouter(include_in_schema=False)


@router.get("/beratung/{centre_id}/termine", response_class=HTMLResponse)
async def free_appointments(request: Request, centre_id: str) -> Response:
    offer = await offer_of(request, centre_id)
    chosen = request.query_params.get("service", "")
    if offer.services and chosen not in offer.services:
        chosen = next(iter(offer.services))
    slots = await free_slots(request, centre_id, chosen, None) if chosen else []
    booking = f"/beratung/{centre_id}/termin-buchen?service={chosen}"
    return appointments_page(
        request,
        "appointments/slots.html",
        centre_id=centre_id,
        offer=offer,
        chosen=chosen,
        days=by_day(lang_of(request), slots, one_per_time=True),
        booking_url=booking,
        sign_in_url=f"/beratung/{centre_id}/anmelden?next={quote(booking)}",
    )
