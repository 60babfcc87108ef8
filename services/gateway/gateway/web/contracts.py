"""Contract pages for seekers and assistants: meeting choice, terms, the printable PDF, signing
(in the app with the password, or by uploading the signed paper copy), rating; the assistant's
ratings overview."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.contract_titles import CONTRACTS, titled
from gateway.web.describe import BERLIN
from gateway.web.forms import clock, csrf_protect, field_errors, scan_upload
from gateway.web.render import page, require_user, see_other, session_of, t
from teilhabe_kit.documents import download_headers

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

PARTIES = ("seeker", "guardian", "assistant")


def _coordinating(request: Request) -> bool:
    roles = require_user(request).get("roles", [])
    return "coordinator" in roles and not set(PARTIES).intersection(roles)


def _party(roles: list[str]) -> str:
    return "assistant" if "assistant" in roles else "seeker"


@router.get("/vertraege", response_class=HTMLResponse)
async def for_order(request: Request, order: str = "") -> Response:
    """The contract of one of the person's orders (or the list of their contracts)."""
    if _coordinating(request):
        return see_other("/koordination/vertraege")
    require_user(request, *PARTIES)
    found = []
    for view in ("planned", "active", "finished"):
        found += await get_json(request, "contracts", CONTRACTS, params={"view": view})
    if order:
        match = [c for c in found if c["order_id"] == order]
        if match:
            return see_other(f"/vertraege/{match[0]['contract_id']}")
    return page(
        request,
        "contracts/list.html",
        title=t(request, "contract"),
        contracts=await titled(request, found),
        waiting=bool(order),
    )


async def _render(
    request: Request, contract_id: str, errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    session = session_of(request)
    [contract] = await titled(request, [await get_json(request, "contracts", f"{CONTRACTS}/{contract_id}")])
    party = _party(session.get("roles", []))
    bookings = None
    if party == "assistant" and contract["status"] == "ratified":
        bookings = await get_json(request, "contracts", f"{CONTRACTS}/{contract_id}/bookings")
    return page(
        request,
        "contracts/detail.html",
        status_code=status_code,
        title=contract["title"],
        contract=contract,
        party=party,
        signed_by_me=party in contract["signed"],
        bookings=bookings,
        errors=errors or {},
        month=datetime.now(BERLIN).strftime("%Y-%m"),
    )


def _done(request: Request, contract_id: str, notice: str) -> Response:
    """After a change: back to the contract's own address (a reload does not send the form again)."""
    session_of(request).set("notice", notice)
    return see_other(f"/vertraege/{contract_id}")


@router.get("/vertraege/{contract_id}", response_class=HTMLResponse)
async def detail(request: Request, contract_id: str) -> Response:
    """A contract; coordinators (whom notices send here too) work on it in their own pages."""
    if _coordinating(request):
        return see_other(f"/koordination/vertraege/{contract_id}")
    require_user(request, *PARTIES)
    return await _render(request, contract_id)


@router.post("/vertraege/{contract_id}/termin", response_class=HTMLResponse)
async def pick_meeting(request: Request, contract_id: str) -> Response:
    require_user(request, "seeker", "guardian")
    form = await request.form()
    response = await call(
        request, "contracts", "POST", f"{CONTRACTS}/{contract_id}/meeting", json={"slot": str(form.get("slot", ""))}
    )
    if response.status_code >= 300:
        return await _render(request, contract_id, field_errors(response, {"slot": "slot"}), 422)
    return _done(request, contract_id, "meeting_chosen")


@router.post("/vertraege/{contract_id}/unterschreiben", response_class=HTMLResponse)
async def sign(request: Request, contract_id: str) -> Response:
    session = require_user(request, *PARTIES)
    form = await request.form()
    body = {"party": _party(session.get("roles", [])), "password": str(form.get("password", ""))}
    if not body["password"]:
        return await _render(request, contract_id, {"password": t(request, "sign_confirm")}, 422)
    response = await call(request, "contracts", "POST", f"{CONTRACTS}/{contract_id}/signatures", json=body)
    if response.status_code >= 300:
        return await _render(request, contract_id, field_errors(response), 422)
    return _done(request, contract_id, "signed_notice")


@router.post("/vertraege/{contract_id}/scan", response_class=HTMLResponse)
async def sign_by_scan(request: Request, contract_id: str) -> Response:
    """Sign by uploading the signed paper copy (PDF, JPEG or PNG, 5 MB); contracts checks the content."""
    session = require_user(request, *PARTIES)
    scan = await scan_upload(await request.form())
    if isinstance(scan, str):
        return await _render(request, contract_id, {"file": t(request, scan)}, 422)
    response = await call(
        request,
        "contracts",
        "POST",
        f"{CONTRACTS}/{contract_id}/signatures/scan",
        files={"file": scan},
        data={"party": _party(session.get("roles", []))},
    )
    if response.status_code >= 300:
        return await _render(request, contract_id, field_errors(response, {"form": "file", "party": "file"}), 422)
    return _done(request, contract_id, "scan_notice")


@router.get("/vertraege/{contract_id}/vertrag.pdf")
async def contract_pdf(request: Request, contract_id: str) -> Response:
    """The current draft as a PDF to read or to print and sign on paper."""
    require_user(request, *PARTIES)
    response = await call(request, "contracts", "GET", f"{CONTRACTS}/{contract_id}/contract.pdf", expect={200})
    return Response(
        response.content,
        media_type="application/pdf",
        headers=download_headers(f"vertrag-{contract_id[:8]}.pdf"),
    )


@router.post("/vertraege/{contract_id}/bewertung", response_class=HTMLResponse)
async def rate(request: Request, contract_id: str) -> Response:
    require_user(request, "seeker", "guardian")
    form = await request.form()
    stars = str(form.get("stars", ""))
    if stars not in {"1", "2", "3", "4", "5"}:
        return await _render(request, contract_id, {"stars": t(request, "stars")}, 422)
    body = {
        "period": str(form.get("period", "")),
        "stars": int(stars),
        "text": str(form.get("text", "")).strip() or None,
    }
    response = await call(
        request, "contracts", "POST", f"/api/v1/contracts/assistance/{contract_id}/ratings", json=body
    )
    if response.status_code >= 300:
        return await _render(request, contract_id, field_errors(response, {"period": "stars"}), 422)
    return _done(request, contract_id, "rated_notice")


@router.post("/vertraege/{contract_id}/stunden", response_class=HTMLResponse)
async def book(request: Request, contract_id: str) -> Response:
    """Billing bookings: the assistant records the hours worked on a day."""
    require_user(request, "assistant")
    form = await request.form()
    worked_on, duration = str(form.get("worked_on", "")), clock(str(form.get("duration", "")))
    errors = {}
    if not worked_on:
        errors["worked_on"] = t(request, "enter_date")
    if duration is None or duration == "00:00":
        errors["duration"] = t(request, "duration_hint")
    if not errors and duration is not None:
        hours, minutes = (int(x) for x in duration.split(":"))
        response = await call(
            request,
            "contracts",
            "POST",
            f"{CONTRACTS}/{contract_id}/bookings",
            json={"worked_on": worked_on, "minutes": hours * 60 + minutes},
        )
        if response.status_code < 300:
            return _done(request, contract_id, "booked_notice")
        errors = field_errors(response, {"minutes": "duration"})
    return await _render(request, contract_id, errors, 422)


@router.get("/assistenz/bewertungen", response_class=HTMLResponse)
async def ratings(request: Request) -> Response:
    session = require_user(request, "assistant")
    overview = await get_json(request, "contracts", f"/api/v1/contracts/assistants/{session.get('account_id')}/ratings")
    return page(request, "contracts/ratings.html", title=t(request, "ratings"), overview=overview)
