"""One enrollment through the WorkPro statuses: the applicant sends the registration, declares the
income and uploads the signed offer; the facility staff invites, decides, makes the offer and
ratifies. Contracts refuses every other transition (409) and every wrong role (403)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.backoffice import bt, office_page
from gateway.web.describe import BERLIN
from gateway.web.forms import clock, csrf_protect, field_errors, scan_upload
from gateway.web.render import require_user, see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
API = "/api/v1/contracts/enrollments"
INVOLVED = ("seeker", "applicant", "guardian", "facility_staff", "admin")


async def _page(
    request: Request,
    enrollment_id: str,
    errors: dict[str, str] | None = None,
    values: dict | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    enrollment = await get_json(request, "contracts", f"{API}/{enrollment_id}")
    staff = "facility_staff" in session_of(request).get("roles", [])
    return office_page(
        request,
        "enrollment/detail.html",
        status_code=status_code,
        title=bt(request, "enrollment"),
        e=enrollment,
        staff=staff,
        errors=errors or {},
        values=values or {},
        notice=bt(request, "notice_enrollment") if ok == "1" else None,
    )


@router.get("/anmeldungen/{enrollment_id}", response_class=HTMLResponse)
async def detail(request: Request, enrollment_id: str, ok: str = "") -> Response:
    require_user(request, *INVOLVED)
    return await _page(request, enrollment_id, ok=ok)


async def _send(
    request: Request,
    enrollment_id: str,
    method: str,
    path: str,
    body: dict | None,
    values: dict | None = None,
    names: dict[str, str] | None = None,
) -> Response:
    response = await call(request, "contracts", method, f"{API}/{enrollment_id}{path}", json=body)
    if response.status_code >= 300:
        return await _page(request, enrollment_id, field_errors(response, names), values, 422)
    return see_other(f"/anmeldungen/{enrollment_id}?ok=1")


@router.post("/anmeldungen/{enrollment_id}/absenden", response_class=HTMLResponse)
async def submit(request: Request, enrollment_id: str) -> Response:
    require_user(request, "seeker", "applicant", "guardian")
    return await _send(request, enrollment_id, "POST", "/submission", None, names={"form": "submit"})


@router.post("/anmeldungen/{enrollment_id}/einkommen", response_class=HTMLResponse)
async def income(request: Request, enrollment_id: str) -> Response:
    require_user(request, "seeker", "applicant", "guardian")
    form = await request.form()
    text = str(form.get("income", "")).strip().replace(".", "").replace(" ", "")
    none = form.get("no_declaration") == "1"
    if not none and not text.isdigit():
        return await _page(request, enrollment_id, {"income": bt(request, "income_hint")}, {"income": text}, 422)
    body = {"household_income_cents": None if none else int(text) * 100, "earners": 1}
    return await _send(
        request, enrollment_id, "PUT", "/income", body, {"income": text}, {"household_income_cents": "income"}
    )


@router.post("/anmeldungen/{enrollment_id}/scan", response_class=HTMLResponse)
async def signed_scan(request: Request, enrollment_id: str) -> Response:
    """The offer signed by all parties, scanned (PDF, JPEG or PNG, 5 MB): → Angenommen."""
    require_user(request, "seeker", "applicant", "guardian")
    scan = await scan_upload(await request.form())
    if isinstance(scan, str):
        return await _page(request, enrollment_id, {"file": bt(request, scan)}, status_code=422)
    response = await call(request, "contracts", "POST", f"{API}/{enrollment_id}/acceptance", files={"file": scan})
    if response.status_code >= 300:
        return await _page(request, enrollment_id, field_errors(response, {"form": "file"}), status_code=422)
    return see_other(f"/anmeldungen/{enrollment_id}?ok=1")


@router.post("/anmeldungen/{enrollment_id}/einladung", response_class=HTMLResponse)
async def invite(request: Request, enrollment_id: str) -> Response:
    require_user(request, "facility_staff")
    form = await request.form()
    values = {
        "interview_day": str(form.get("interview_day", "")),
        "interview_time": str(form.get("interview_time", "")),
    }
    try:
        at = datetime.fromisoformat(f"{values['interview_day']}T{clock(values['interview_time']) or 'x'}")
    except ValueError:
        return await _page(request, enrollment_id, {"interview_day": bt(request, "slot_invalid")}, values, 422)
    return await _send(
        request,
        enrollment_id,
        "POST",
        "/invitation",
        {"interview_at": at.replace(tzinfo=BERLIN).isoformat()},
        values,
        {"interview_at": "interview_day"},
    )


@router.post("/anmeldungen/{enrollment_id}/entscheidung", response_class=HTMLResponse)
async def decide(request: Request, enrollment_id: str) -> Response:
    require_user(request, "facility_staff")
    form = await request.form()
    body = {"accepted": form.get("accepted") == "1", "interview": str(form.get("interview", "attended"))}
    return await _send(request, enrollment_id, "POST", "/decision", body, names={"interview": "interview"})


@router.post("/anmeldungen/{enrollment_id}/angebot", response_class=HTMLResponse)
async def offer(request: Request, enrollment_id: str) -> Response:
    require_user(request, "facility_staff")
    form = await request.form()
    values = {k: str(form.get(k, "")) or None for k in ("starts_on", "ends_on", "respond_by")}
    return await _send(request, enrollment_id, "POST", "/offer", values, values)


@router.post("/anmeldungen/{enrollment_id}/nachweis-anfordern", response_class=HTMLResponse)
async def demand_proof(request: Request, enrollment_id: str) -> Response:
    require_user(request, "facility_staff")
    return await _send(request, enrollment_id, "POST", "/income-proof-demand", None, names={"form": "demand"})


@router.post("/anmeldungen/{enrollment_id}/ratifizieren", response_class=HTMLResponse)
async def ratify(request: Request, enrollment_id: str) -> Response:
    require_user(request, "facility_staff")
    return await _send(request, enrollment_id, "POST", "/ratification", None, names={"form": "ratify"})
