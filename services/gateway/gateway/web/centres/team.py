"""The team of a counseling centre (its admins): members and invitations, roles, removal, seats and
the request for more; the invitation link (public); switching between one's centres."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.tokens import principal_of
from gateway.web.api import call, get_json
from gateway.web.centres import centre_page, ct, signed_in_principal
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import require_user, see_other, session_of
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
IDENTITY = "/api/v1/identity"
ROLES = ("counselor", "centre_admin")


async def _own_centre(request: Request) -> str:
    require_user(request, "centre_admin")
    centre_id = (await signed_in_principal(request)).organisation_id
    if not centre_id:
        raise Problem(ct(request, "no_centre"), status=403, title="Forbidden")
    return centre_id


async def _team_page(request: Request, centre_id: str, status_code: int = 200, **context) -> HTMLResponse:
    team = await get_json(request, "identity", f"{IDENTITY}/centres/{centre_id}/team")
    mine = await get_json(request, "identity", f"{IDENTITY}/me/centres")
    return centre_page(
        request,
        "centres/team.html",
        status_code=status_code,
        title=ct(request, "team_title", centre=team["name"]),
        team=team,
        roles_offered=ROLES,
        several=len(mine) > 1,
        **context,
    )


@router.get("/beratungsstelle/team", response_class=HTMLResponse)
async def team(request: Request) -> Response:
    return await _team_page(request, await _own_centre(request))


@router.post("/beratungsstelle/team/einladen", response_class=HTMLResponse)
async def invite(request: Request) -> Response:
    centre_id = await _own_centre(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("name", "email", "role")}
    response = await call(request, "identity", "POST", f"{IDENTITY}/centres/{centre_id}/invitations", json=values)
    if response.status_code == 201:
        session_of(request).set("notice", "centre_invited")
        return see_other("/beratungsstelle/team")
    errors = field_errors(response, {"form": "email"})
    return await _team_page(request, centre_id, status_code=response.status_code, errors=errors, values=values)


@router.post("/beratungsstelle/team/{account_id}/rolle", response_class=HTMLResponse)
async def change_role(request: Request, account_id: str) -> Response:
    centre_id = await _own_centre(request)
    form = await request.form()
    response = await call(
        request,
        "identity",
        "PUT",
        f"{IDENTITY}/centres/{centre_id}/team/{account_id}/role",
        json={"role": str(form.get("role", ""))},
    )
    if response.status_code == 204:
        session_of(request).set("notice", "centre_role_changed")
        return see_other("/beratungsstelle/team")
    errors = {"team": next(iter(field_errors(response).values()))}
    return await _team_page(request, centre_id, status_code=response.status_code, errors=errors)


@router.post("/beratungsstelle/team/{account_id}/entfernen", response_class=HTMLResponse)
async def remove(request: Request, account_id: str) -> Response:
    centre_id = await _own_centre(request)
    response = await call(request, "identity", "DELETE", f"{IDENTITY}/centres/{centre_id}/team/{account_id}")
    if response.status_code == 204:
        session_of(request).set("notice", "centre_removed")
        return see_other("/beratungsstelle/team")
    errors = {"team": next(iter(field_errors(response).values()))}
    return await _team_page(request, centre_id, status_code=response.status_code, errors=errors)


@router.post("/beratungsstelle/lizenzen", response_class=HTMLResponse)
async def request_seats(request: Request) -> Response:
    centre_id = await _own_centre(request)
    form = await request.form()
    values = {"seats": str(form.get("seats_needed", "")).strip(), "note": str(form.get("seats_note", "")).strip()}
    if not values["seats"].isdigit():
        errors = {"seats_needed": ct(request, "seats_number")}
        return await _team_page(request, centre_id, status_code=422, errors=errors, values=values)
    body = {"seats": int(values["seats"]), "note": values["note"] or None}
    response = await call(request, "identity", "POST", f"{IDENTITY}/centres/{centre_id}/seat-requests", json=body)
    if response.status_code == 201:
        session_of(request).set("notice", "centre_seats_requested")
        return see_other("/beratungsstelle/team")
    errors = field_errors(response, {"seats": "seats_needed", "note": "seats_note", "form": "seats_needed"})
    return await _team_page(request, centre_id, status_code=response.status_code, errors=errors, values=values)


@router.get("/beratungsstelle/wechseln", response_class=HTMLResponse)
async def switch_form(request: Request) -> Response:
    require_user(request, "centre_admin", "counselor")
    mine = await get_json(request, "identity", f"{IDENTITY}/me/centres")
    current = (await signed_in_principal(request)).organisation_id
    return centre_page(request, "centres/switch.html", title=ct(request, "switch_centre"), mine=mine, current=current)


@router.post("/beratungsstelle/wechseln", response_class=HTMLResponse)
async def switch(request: Request) -> Response:
    session = require_user(request, "centre_admin", "counselor")
    form = await request.form()
    response = await call(
        request,
        "identity",
        "POST",
        f"{IDENTITY}/auth/centre",
        anonymous=True,
        json={"refresh_token": session.get("refresh_token") or "", "centre_id": str(form.get("centre_id", ""))},
        expect={200, 401, 422},
    )
    if response.status_code != 200:
        return see_other("/beratungsstelle/wechseln")
    tokens = response.json()
    principal = await principal_of(request, tokens["access_token"])
    session.set("access_token", tokens["access_token"])
    session.set("refresh_token", tokens["refresh_token"])
    session.set("roles", sorted(principal.roles))
    session.set("notice", "centre_switched")
    return see_other("/beratungsstelle/team" if "centre_admin" in principal.roles else "/")


@router.get("/einladung", response_class=HTMLResponse)
async def invitation(request: Request, token: str = "") -> Response:
    response = await call(
        request,
        "identity",
        "POST",
        f"{IDENTITY}/auth/invitations/preview",
        anonymous=True,
        json={"token": token or "-"},
        expect={200, 422},
    )
    offer = response.json() if response.status_code == 200 else None
    return centre_page(
        request,
        "centres/invitation.html",
        status_code=200 if offer else 410,
        title=ct(request, "invitation_title"),
        offer=offer,
        token=token,
    )


@router.post("/einladung", response_class=HTMLResponse)
async def accept(request: Request) -> Response:
    form = await request.form()
    token, password = str(form.get("token", "")), str(form.get("password", ""))
    body = {"token": token or "-"} | ({"password": password} if password else {})
    response = await call(
        request, "identity", "POST", f"{IDENTITY}/auth/invitations/accept", anonymous=True, json=body, expect={200, 422}
    )
    if response.status_code == 200:
        session_of(request).set("notice", "centre_invitation_accepted")
        return see_other("/anmelden")
    errors = field_errors(response)
    preview = await call(
        request,
        "identity",
        "POST",
        f"{IDENTITY}/auth/invitations/preview",
        anonymous=True,
        json={"token": token or "-"},
        expect={200, 422},
    )
    offer = preview.json() if preview.status_code == 200 else None
    return centre_page(
        request,
        "centres/invitation.html",
        status_code=422 if offer else 410,
        title=ct(request, "invitation_title"),
        offer=offer,
        token=token,
        errors={"password": errors["password"]} if "password" in errors else {},
    )
