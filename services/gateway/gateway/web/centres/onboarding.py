"""Onboarding of counseling centres (platform admin, `/verwaltung/beratungsstellen`): record a
centre's interest, the data-processing agreement, functions and seats, invite the first centre
admin; see the team and the requests for more seats."""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.centres import centre_page, ct
from gateway.web.centres.catalogue import labels
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import lang_of, require_user, see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
CENTRES = "/api/v1/centres/centres"
IDENTITY = "/api/v1/identity"
BASE = "/verwaltung/beratungsstellen"


def _admin(request: Request) -> None:
    require_user(request, "admin")


async def _list_page(request: Request, status_code: int = 200, **context) -> HTMLResponse:
    centres = await get_json(request, "centres", CENTRES, params={"page_size": 100})
    requests_ = await get_json(request, "identity", f"{IDENTITY}/centres/seat-requests")
    return centre_page(
        request,
        "centres/onboarding_list.html",
        status_code=status_code,
        title=ct(request, "onboarding_title"),
        centres=centres,
        seat_requests=requests_,
        **context,
    )


@router.get(BASE, response_class=HTMLResponse)
async def centres(request: Request) -> Response:
    _admin(request)
    return await _list_page(request)


@router.post(BASE, response_class=HTMLResponse)
async def record_interest(request: Request) -> Response:
    _admin(request)
    form = await request.form()
    values = {"name": str(form.get("name", "")).strip(), "postcode": str(form.get("postcode", "")).strip()}
    response = await call(request, "centres", "POST", CENTRES, json=values)
    if response.status_code == 201:
        return see_other(f"{BASE}/{response.json()['centre_id']}")
    return await _list_page(request, 422, errors=field_errors(response, {"form": "name"}), values=values)


async def _centre_page(request: Request, centre_id: str, status_code: int = 200, **context) -> HTMLResponse:
    centre = await get_json(request, "centres", f"{CENTRES}/{centre_id}")
    team = await call(request, "identity", "GET", f"{IDENTITY}/centres/{centre_id}/team", expect={200, 404})
    return centre_page(
        request,
        "centres/onboarding_centre.html",
        status_code=status_code,
        title=centre["name"],
        centre=centre,
        team=team.json() if team.status_code == 200 else None,
        labels=labels(lang_of(request)),
        **context,
    )


@router.get(BASE + "/{centre_id}", response_class=HTMLResponse)
async def centre(request: Request, centre_id: str) -> Response:
    _admin(request)
    return await _centre_page(request, centre_id)


def _german_date(text: str) -> str | None:
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text.strip())
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except ValueError:
        return None


async def _put(request: Request, centre_id: str, what: str, body: dict, names: dict[str, str]) -> Response:
    response = await call(request, "centres", "PUT", f"{CENTRES}/{centre_id}/{what}", json=body)
    if response.status_code == 200:
        session_of(request).set("notice", "centre_saved")
        return see_other(f"{BASE}/{centre_id}")
    errors = field_errors(response, names)
    return await _centre_page(request, centre_id, 422, errors=errors, values=body)


@router.post(BASE + "/{centre_id}/vereinbarung", response_class=HTMLResponse)
async def agreement(request: Request, centre_id: str) -> Response:
    _admin(request)
    form = await request.form()
    signed_text = str(form.get("signed_on", "")).strip()
    body = {
        "version": str(form.get("version", "")).strip(),
        "signed_on": _german_date(signed_text) or signed_text,
        "signatory": str(form.get("signatory", "")).strip(),
    }
    if _german_date(signed_text) is None:
        errors = {"signed_on": ct(request, "date_bad")}
        return await _centre_page(request, centre_id, 422, errors=errors, values=body)
    return await _put(request, centre_id, "agreement", body, {"form": "version"})


@router.post(BASE + "/{centre_id}/funktionen", response_class=HTMLResponse)
async def functions(request: Request, centre_id: str) -> Response:
    _admin(request)
    form = await request.form()
    chosen = list(dict.fromkeys(["directory", *form.getlist("functions")]))
    return await _put(request, centre_id, "functions", {"functions": chosen}, {"form": "functions"})


@router.post(BASE + "/{centre_id}/lizenzen", response_class=HTMLResponse)
async def seats(request: Request, centre_id: str) -> Response:
    _admin(request)
    form = await request.form()
    text = str(form.get("seats", "")).strip()
    if not text.isdigit():
        errors = {"seats": ct(request, "seats_number")}
        return await _centre_page(request, centre_id, 422, errors=errors, values={"seats": text})
    return await _put(request, centre_id, "seats", {"seats": int(text)}, {"form": "seats"})


@router.post(BASE + "/{centre_id}/einladen", response_class=HTMLResponse)
async def invite_first_admin(request: Request, centre_id: str) -> Response:
    _admin(request)
    form = await request.form()
    values = {"name": str(form.get("name", "")).strip(), "email": str(form.get("email", "")).strip()}
    response = await call(
        request,
        "identity",
        "POST",
        f"{IDENTITY}/centres/{centre_id}/invitations",
        json=values | {"role": "centre_admin"},
    )
    if response.status_code == 201:
        session_of(request).set("notice", "centre_invited")
        return see_other(f"{BASE}/{centre_id}")
    errors = field_errors(response, {"form": "email", "seats": "email", "centre_id": "email"})
    return await _centre_page(request, centre_id, response.status_code, errors=errors, values=values)


@router.post(BASE + "/{centre_id}/sichtbarkeit", response_class=HTMLResponse)
async def listing(request: Request, centre_id: str) -> Response:
    _admin(request)
    form = await request.form()
    action = "list" if form.get("listed") == "1" else "delist"
    response = await call(request, "centres", "POST", f"{CENTRES}/{centre_id}/{action}")
    if response.status_code == 200:
        session_of(request).set("notice", "centre_saved")
        return see_other(f"{BASE}/{centre_id}")
    return await _centre_page(request, centre_id, 409, errors={"listing": next(iter(field_errors(response).values()))})
