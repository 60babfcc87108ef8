"""Enrollment (WorkPro): a facility's public offers ("Angebote") with the registration of an
interested person, "Mein Konto" (every enrollment with its status, what is missing and by when,
the PDFs to print) and the facility staff's list. Contracts decides who sees what."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.backoffice import bt, office_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import require_user, see_other
from teilhabe_kit.documents import download_headers

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
API = "/api/v1/contracts"
APPLICANTS = ("seeker", "applicant", "guardian")
PDFS = {"anmeldung": "registration.pdf", "angebot": "offer.pdf"}


@router.get("/angebote", response_class=HTMLResponse)
async def offers(request: Request, einrichtung: str = "") -> Response:
    params = {"facility_id": einrichtung[:64]} if einrichtung else None
    response = await call(request, "contracts", "GET", f"{API}/facility-offers", params=params, anonymous=True)
    return office_page(request, "enrollment/offers.html", title=bt(request, "offers"), offers=response.json())


async def _offer(
    request: Request,
    offer_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    done: bool = False,
) -> Response:
    response = await call(request, "contracts", "GET", f"{API}/facility-offers/{offer_id}", anonymous=True)
    return office_page(
        request,
        "enrollment/offer.html",
        status_code=status_code,
        title=response.json()["title"],
        offer=response.json(),
        errors=errors or {},
        values=values or {},
        done=done,
    )


@router.get("/angebote/{offer_id}", response_class=HTMLResponse)
async def offer(request: Request, offer_id: str, ok: str = "") -> Response:
    return await _offer(request, offer_id, done=ok == "1")


@router.post("/angebote/{offer_id}/interesse", response_class=HTMLResponse)
async def register_interest(request: Request, offer_id: str) -> Response:
    """An interested person registers with name and e-mail; the rest follows by e-mail."""
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("first_name", "last_name", "email")}
    errors = {k: bt(request, "required_field", field=bt(request, k)) for k, v in values.items() if not v}
    if not errors:
        response = await call(
            request, "contracts", "POST", f"{API}/facility-offers/{offer_id}/registrations", json=values, anonymous=True
        )
        if response.status_code < 300:
            return see_other(f"/angebote/{offer_id}?ok=1")
        errors = field_errors(response)
    return await _offer(request, offer_id, errors, values, 422)


async def _with_details(request: Request, listed: list[dict]) -> list[dict]:
    return list(
        await asyncio.gather(
            *(get_json(request, "contracts", f"{API}/enrollments/{e['enrollment_id']}") for e in listed)
        )
    )


@router.get("/mein-konto", response_class=HTMLResponse)
async def my_account(request: Request) -> Response:
    """The person's data with the ways to change them (my_account.py), and every enrollment of the
    person (and their wards) with its status and what is still missing."""
    require_user(request, *APPLICANTS)
    me, listed = await asyncio.gather(
        get_json(request, "identity", "/api/v1/identity/me"), get_json(request, "contracts", f"{API}/enrollments")
    )
    return office_page(
        request,
        "enrollment/account.html",
        title=bt(request, "my_account"),
        me=me,
        enrollments=await _with_details(request, listed),
    )


@router.get("/anmeldungen/{enrollment_id}/{kind}.pdf")
async def document(request: Request, enrollment_id: str, kind: str) -> Response:
    """The registration or the offer as a PDF to print (applicant and facility staff)."""
    require_user(request, *APPLICANTS, "facility_staff", "admin")
    if kind not in PDFS:
        return Response(status_code=404)
    response = await call(request, "contracts", "GET", f"{API}/enrollments/{enrollment_id}/{PDFS[kind]}", expect={200})
    return Response(
        response.content,
        media_type="application/pdf",
        headers=download_headers(f"{kind}-{enrollment_id[:8]}.pdf"),
    )


@router.get("/einrichtung", response_class=HTMLResponse)
async def facility(request: Request, status: str = "") -> Response:
    """The facility staff's enrollments, newest change first, filterable by status."""
    require_user(request, "facility_staff")
    listed = await get_json(request, "contracts", f"{API}/enrollments", params={"status": status} if status else None)
    return office_page(
        request,
        "enrollment/facility.html",
        title=bt(request, "facility"),
        enrollments=await _with_details(request, listed),  # the cards name the person, not only the number
        status=status,
    )
