"""Coordinator's contracts: the list of meetings and contracts, proposing meeting dates, drafting
the terms, ratification, approving bookings and the CSV export per payer and month. Contracts
answers only for the coordinator's own provider."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.backoffice import bt, office_page
from gateway.web.contract_titles import CONTRACTS, titled
from gateway.web.describe import BERLIN
from gateway.web.forms import clock, csrf_protect, field_errors
from gateway.web.render import require_user, see_other

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
PAYERS = ("relief_amount", "integration_assistance", "private")
NOTICES = ("meeting", "met", "drafted", "ratified", "approved")
SLOTS = 3


def _coordinator(request: Request) -> None:
    require_user(request, "coordinator")


@router.get("/koordination/vertraege", response_class=HTMLResponse)
async def contracts(request: Request, ok: str = "") -> Response:
    """Meetings (date order) and the contracts of the provider, planned and running."""
    _coordinator(request)
    planned, active = await asyncio.gather(
        get_json(request, "contracts", CONTRACTS, params={"view": "planned"}),
        get_json(request, "contracts", CONTRACTS, params={"view": "active"}),
    )
    listed = await titled(request, planned + active, names=True)
    planned, active = listed[: len(planned)], listed[len(planned) :]
    meetings = sorted((c for c in planned if c["meeting_at"]), key=lambda c: c["meeting_at"])
    return office_page(
        request,
        "backoffice/contracts.html",
        title=bt(request, "contracts"),
        planned=planned,
        active=active,
        meetings=meetings,
        payers=PAYERS,
        month=datetime.now(BERLIN).strftime("%Y-%m"),
        notice=bt(request, "notice_export_invalid") if ok == "export_invalid" else None,
    )


async def _detail(
    request: Request,
    contract_id: str,
    errors: dict[str, str] | None = None,
    values: dict | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    [contract] = await titled(request, [await get_json(request, "contracts", f"{CONTRACTS}/{contract_id}")], names=True)
    bookings = []
    if contract["status"] in ("ratified", "ended"):
        bookings = await get_json(request, "contracts", f"{CONTRACTS}/{contract_id}/bookings")
    terms = contract.get("terms") or {}
    return office_page(
        request,
        "backoffice/contract.html",
        status_code=status_code,
        title=contract["title"],
        contract=contract,
        bookings=bookings,
        errors=errors or {},
        payers=PAYERS,
        slots=range(SLOTS),
        values=values or {**terms, "activities": terms.get("activities", [])},
        notice=bt(request, f"notice_{ok}") if ok in NOTICES else None,
    )


@router.get("/koordination/vertraege/{contract_id}", response_class=HTMLResponse)
async def detail(request: Request, contract_id: str, ok: str = "") -> Response:
    _coordinator(request)
    return await _detail(request, contract_id, ok=ok)


async def _post(
    request: Request,
    contract_id: str,
    path: str,
    body: dict | None,
    ok: str,
    names: dict[str, str] | None = None,
    values: dict | None = None,
) -> Response:
    response = await call(request, "contracts", "POST", f"{CONTRACTS}/{contract_id}{path}", json=body)
    if response.status_code >= 300:
        return await _detail(request, contract_id, field_errors(response, names), values, 422)
    return see_other(f"/koordination/vertraege/{contract_id}?ok={ok}")


@router.post("/koordination/vertraege/{contract_id}/termine", response_class=HTMLResponse)
async def propose_meeting(request: Request, contract_id: str) -> Response:
    """1–3 meeting dates (date + time of day, Europe/Berlin)."""
    _coordinator(request)
    form = await request.form()
    slots: list[str] = []
    values: dict[str, str] = {}
    for i in range(SLOTS):
        day, time = str(form.get(f"slot_day_{i}", "")).strip(), str(form.get(f"slot_time_{i}", "")).strip()
        values |= {f"slot_day_{i}": day, f"slot_time_{i}": time}
        if day or time:
            try:
                at = datetime.fromisoformat(f"{day}T{clock(time) or 'x'}").replace(tzinfo=BERLIN)
            except ValueError:
                return await _detail(request, contract_id, {f"slot_day_{i}": bt(request, "slot_invalid")}, values, 422)
            slots.append(at.isoformat())
    if not slots:
        return await _detail(request, contract_id, {"slot_day_0": bt(request, "slot_missing")}, values, 422)
    return await _post(
        request, contract_id, "/meeting-proposals", {"slots": slots}, "meeting", {"slots": "slot_day_0"}, values
    )


@router.post("/koordination/vertraege/{contract_id}/treffen", response_class=HTMLResponse)
async def meeting_held(request: Request, contract_id: str) -> Response:
    """The get-to-know meeting took place (now): only then can the contract be drafted."""
    _coordinator(request)
    return await _post(request, contract_id, "/meeting/held", {}, "met", {"form": "meeting"})


@router.post("/koordination/vertraege/{contract_id}/entwurf", response_class=HTMLResponse)
async def draft(request: Request, contract_id: str) -> Response:
    _coordinator(request)
    form = await request.form()
    values: dict[str, Any] = {
        k: str(form.get(k, "")).strip()
        for k in ("schedule", "hourly_rate", "payer", "starts_on", "ends_on", "notice_weeks")
    }
    values["activities"] = [str(a) for a in form.getlist("activities")]
    rate = values["hourly_rate"].replace(",", ".")
    body = {
        "activities": values["activities"],
        "schedule": values["schedule"],
        "payer": values["payer"],
        "starts_on": values["starts_on"] or None,
        "ends_on": values["ends_on"] or None,
        "hourly_rate_cents": round(float(rate) * 100) if rate.replace(".", "", 1).isdigit() else None,
        "notice_weeks": int(values["notice_weeks"]) if values["notice_weeks"].isdigit() else None,
    }
    return await _post(
        request,
        contract_id,
        "/draft",
        body,
        "drafted",
        {"hourly_rate_cents": "hourly_rate", "activities": "activities"},
        values,
    )


@router.post("/koordination/vertraege/{contract_id}/ratifizieren", response_class=HTMLResponse)
async def ratify(request: Request, contract_id: str) -> Response:
    _coordinator(request)
    return await _post(request, contract_id, "/ratification", None, "ratified", {"form": "ratify"})


@router.post("/koordination/vertraege/{contract_id}/stunden/{booking_id}", response_class=HTMLResponse)
async def approve(request: Request, contract_id: str, booking_id: str) -> Response:
    _coordinator(request)
    return await _post(request, contract_id, f"/bookings/{booking_id}/approval", None, "approved")


@router.get("/koordination/abrechnung.csv")
async def export(request: Request, payer: str = "", month: str = "") -> Response:
    """Approved bookings of the provider for one payer and month, as contracts writes them (`;`)."""
    _coordinator(request)
    response = await call(
        request,
        "contracts",
        "GET",
        "/api/v1/contracts/bookings/export.csv",
        params={"payer": payer, "month": month},
        expect={200, 422},
    )
    if response.status_code != 200:
        return see_other("/koordination/vertraege?ok=export_invalid")
    return Response(
        response.content,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="abrechnung-{payer}-{month}.csv"',
            "Cache-Control": "no-store",
        },
    )
