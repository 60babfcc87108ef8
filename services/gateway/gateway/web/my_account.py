"""„Mein Konto“ of seekers and guardians: personal data (and changing them), a new password, deleting
the account (asked on a page of its own). The enrollments stay on the same page (enrollment.py)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.forms import csrf_protect, field_errors, form_text
from gateway.web.render import page, require_user, see_other, session_of, t

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

HOME = "/mein-konto"
OWNERS = ("seeker", "guardian", "applicant")
IDENTITY = "/api/v1/identity"


def _values(me: dict) -> dict[str, str]:
    contact = me.get("contact") or {}
    return {
        "name": me.get("name") or "",
        "email": contact.get("email") or "",
        "phone": contact.get("phone") or "",
        "introduction": me.get("introduction") or "",
    }


@router.get(f"{HOME}/daten", response_class=HTMLResponse)
async def data_form(request: Request) -> Response:
    require_user(request, *OWNERS)
    me = await get_json(request, "identity", f"{IDENTITY}/me")
    return page(request, "account/data.html", title=t(request, "personal_data"), values=_values(me))


@router.post(f"{HOME}/daten", response_class=HTMLResponse)
async def save_data(request: Request) -> Response:
    session = require_user(request, *OWNERS)
    form = await request.form()
    values = {name: form_text(form, name) for name in ("name", "email", "phone", "introduction")}
    errors = {} if values["name"] else {"name": t(request, "enter_name")}
    if not values["email"] and not values["phone"]:
        errors["email"] = t(request, "enter_email_or_phone")
    if not errors:
        body = {k: v or None for k, v in values.items()} | {"name": values["name"]}
        path = f"{IDENTITY}/accounts/{session.get('account_id')}/contact"
        response = await call(request, "identity", "PUT", path, json=body)
        if response.status_code < 300:
            session.set("notice", "data_saved")
            return see_other(HOME)
        errors = field_errors(response)
    return page(
        request, "account/data.html", status_code=422, title=t(request, "personal_data"), values=values, errors=errors
    )


@router.get(f"{HOME}/passwort", response_class=HTMLResponse)
async def password_form(request: Request) -> Response:
    require_user(request, *OWNERS)
    return page(request, "account/password.html", title=t(request, "change_password"))


@router.post(f"{HOME}/passwort", response_class=HTMLResponse)
async def change_password(request: Request) -> Response:
    session = require_user(request, *OWNERS)
    form = await request.form()
    current, new, again = (form_text(form, n) for n in ("current_password", "new_password", "new_password_again"))
    errors = {}
    if not current:
        errors["current_password"] = t(request, "enter_current_password")
    if not new:
        errors["new_password"] = t(request, "enter_new_password")
    elif new != again:
        errors["new_password_again"] = t(request, "enter_same_password")
    if not errors:
        body = {"current_password": current, "new_password": new}
        response = await call(request, "identity", "POST", f"{IDENTITY}/auth/password", json=body)
        if response.status_code < 300:
            session.set("notice", "password_changed")
            return see_other(HOME)
        errors = field_errors(response)
    return page(request, "account/password.html", status_code=422, title=t(request, "change_password"), errors=errors)


@router.get(f"{HOME}/loeschen", response_class=HTMLResponse)
async def delete_form(request: Request) -> Response:
    require_user(request, *OWNERS)
    return page(request, "account/delete.html", title=t(request, "delete_account"))


@router.post(f"{HOME}/loeschen", response_class=HTMLResponse)
async def delete(request: Request) -> Response:
    session = require_user(request, *OWNERS)
    form = await request.form()
    if form.get("confirm") != "yes":
        errors = {"confirm": t(request, "confirm_deletion")}
        return page(request, "account/delete.html", status_code=422, title=t(request, "delete_account"), errors=errors)
    response = await call(request, "identity", "POST", f"{IDENTITY}/accounts/{session.get('account_id')}/deletion")
    if response.status_code >= 300:
        session_of(request).set("notice", "action_failed")
        return see_other(HOME)
    session.sign_out()
    return page(
        request, "account/deleted.html", title=t(request, "account_deleted"), day=response.json()["erase_after"]
    )
