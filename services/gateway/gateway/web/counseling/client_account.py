"""The client's (Ratsuchende) own account: sign-in with the centre's address, pseudonym and password;
the own account page; password change (first of all after an initial password); notification
contact (e-mail, mobile, both optional) and channels; deleting the own account.

Identity holds the account and its contact (sealed), messaging the delivery preferences, counseling
what the centre knows (primary counselor, groups); a client sees nothing of other clients.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.tokens import principal_of
from gateway.web.api import call, get_json
from gateway.web.counseling import counseling_page, kt
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import require_user, see_other, session_of
from teilhabe_kit.auth import Unauthenticated
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
IDENTITY = "/api/v1/identity"
PREFERENCES = "/api/v1/messaging/preferences"
HOME = "/mein-beratungskonto"


async def _signed_in(request: Request, centre_id: str, pseudonym: str, password: str) -> dict | None:
    """Sign in as the centre's client; the tokens (None when refused)."""
    response = await call(
        request,
        "identity",
        "POST",
        f"{IDENTITY}/auth/client-login",
        anonymous=True,
        json={"centre_id": centre_id, "pseudonym": pseudonym, "password": password},
        expect={200, 400, 401, 403, 409, 422, 423, 429},
    )
    if response.status_code != 200:
        return None
    tokens = response.json()
    try:
        principal = await principal_of(request, tokens["access_token"])
    except Unauthenticated:
        return None
    session = session_of(request)
    session.sign_in(tokens, principal.account_id, sorted(principal.roles))
    session.set("client_login", {"centre_id": centre_id, "pseudonym": pseudonym})
    return tokens


def _local_path(value: object) -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    text = str(value or "")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else ""


@router.get("/beratung/{centre_id}/anmelden", response_class=HTMLResponse)
async def login_form(request: Request, centre_id: str) -> Response:
    return counseling_page(
        request,
        "counseling/client_login.html",
        title=kt(request, "client_login_title"),
        centre_id=centre_id,
        next_path=_local_path(request.query_params.get("next")),
    )


@router.post("/beratung/{centre_id}/anmelden", response_class=HTMLResponse)
async def login(request: Request, centre_id: str) -> Response:
    form = await request.form()
    values = {"pseudonym": str(form.get("pseudonym", "")).strip()}
    next_path = _local_path(form.get("next"))
    password = str(form.get("password", ""))
    errors = {}
    if not values["pseudonym"]:
        errors["pseudonym"] = kt(request, "enter_pseudonym")
    if not password:
        errors["password"] = kt(request, "enter_password")
    if not errors:
        tokens = await _signed_in(request, centre_id, values["pseudonym"], password)
        if tokens is not None:
            if tokens.get("must_change_password"):
                session_of(request).set("client_must_change", True)
                return see_other(f"{HOME}/passwort")
            return see_other(next_path or HOME)
        errors["pseudonym"] = kt(request, "login_failed")
    return counseling_page(
        request,
        "counseling/client_login.html",
        status_code=422,
        title=kt(request, "client_login_title"),
        centre_id=centre_id,
        errors=errors,
        values=values,
        next_path=next_path,
    )


@router.get(HOME, response_class=HTMLResponse)
async def account(request: Request) -> Response:
    session = require_user(request, "client")
    counseling = None
    try:  # what the centre knows (primary counselor, groups); the account pages work without it
        response = await call(request, "counseling", "GET", "/api/v1/counseling/me", expect={200, 404})
        counseling = response.json() if response.status_code == 200 else None
    except Problem:
        counseling = None
    return counseling_page(
        request,
        "counseling/client_account.html",
        title=kt(request, "my_account"),
        pseudonym=(session.get("client_login") or {}).get("pseudonym"),
        counseling=counseling,
    )


def _password_page(request: Request, status_code: int = 200, errors: dict | None = None) -> HTMLResponse:
    return counseling_page(
        request,
        "counseling/client_password.html",
        status_code=status_code,
        title=kt(request, "change_password"),
        must_change=bool(session_of(request).get("client_must_change")),
        errors=errors or {},
    )


@router.get(f"{HOME}/passwort", response_class=HTMLResponse)
async def password_form(request: Request) -> Response:
    require_user(request, "client")
    return _password_page(request)


@router.post(f"{HOME}/passwort", response_class=HTMLResponse)
async def change_password(request: Request) -> Response:
    session = require_user(request, "client")
    form = await request.form()
    current, new, repeated = (str(form.get(k, "")) for k in ("current_password", "new_password", "repeat_password"))
    errors = {}
    if not current:
        errors["current_password"] = kt(request, "enter_password")
    if new != repeated:
        errors["repeat_password"] = kt(request, "passwords_differ")
    if not errors:
        response = await call(
            request,
            "identity",
            "POST",
            f"{IDENTITY}/auth/password",
            json={"current_password": current, "new_password": new},
            expect={204, 400, 401, 403, 422},
        )
        if response.status_code == 204:
            login = session.get("client_login") or {}
            # identity ends every session with the change: sign in again with the new password
            if login and await _signed_in(request, login["centre_id"], login["pseudonym"], new):
                session_of(request).set("notice", "client_password_changed")
                return see_other(HOME)
            session_of(request).sign_out()
            return see_other(f"/beratung/{login.get('centre_id', '')}/anmelden" if login else "/")
        errors = field_errors(response, {"form": "current_password", "password": "new_password"})
    return _password_page(request, 422, errors)


async def _contact_page(request: Request, status_code: int = 200, errors: dict | None = None, values=None):
    if values is None:
        me = await get_json(request, "identity", f"{IDENTITY}/me")
        preferences = await get_json(request, "messaging", PREFERENCES)
        contact = me.get("contact") or {}
        values = {"email": contact.get("email") or "", "phone": contact.get("phone") or ""} | {
            "by_email": preferences.get("email", False),
            "by_sms": preferences.get("sms", False),
        }
    return counseling_page(
        request,
        "counseling/client_contact.html",
        status_code=status_code,
        title=kt(request, "contact_title"),
        errors=errors or {},
        values=values,
    )


@router.get(f"{HOME}/benachrichtigungen", response_class=HTMLResponse)
async def contact_form(request: Request) -> Response:
    require_user(request, "client")
    return await _contact_page(request)


@router.post(f"{HOME}/benachrichtigungen", response_class=HTMLResponse)
async def save_contact(request: Request) -> Response:
    session = require_user(request, "client")
    form = await request.form()
    values: dict[str, str | bool] = {k: str(form.get(k, "")).strip() for k in ("email", "phone")}
    values |= {"by_email": form.get("by_email") == "on", "by_sms": form.get("by_sms") == "on"}
    if values["email"] or values["phone"]:
        pseudonym = (session.get("client_login") or {}).get("pseudonym") or "Ratsuchende Person"
        body = {"name": pseudonym, "email": values["email"] or None, "phone": values["phone"] or None}
        response = await call(
            request, "identity", "PUT", f"{IDENTITY}/accounts/{session.get('account_id')}/contact", json=body
        )
        if response.status_code >= 300:
            return await _contact_page(request, 422, field_errors(response, {"form": "email"}), values)
    response = await call(
        request,
        "messaging",
        "PUT",
        PREFERENCES,
        json={"email": values["by_email"] and bool(values["email"]), "sms": values["by_sms"] and bool(values["phone"])},
    )
    if response.status_code >= 300:
        return await _contact_page(
            request, 422, field_errors(response, {"form": "by_email", "email": "by_email"}), values
        )
    session.set("notice", "contact_saved")
    return see_other(HOME)


@router.get(f"{HOME}/loeschen", response_class=HTMLResponse)
async def delete_form(request: Request) -> Response:
    require_user(request, "client")
    return counseling_page(request, "counseling/client_delete.html", title=kt(request, "delete_title"))


@router.post(f"{HOME}/loeschen", response_class=HTMLResponse)
async def delete(request: Request) -> Response:
    session = require_user(request, "client")
    form = await request.form()
    if form.get("confirm") != "yes":
        return counseling_page(
            request,
            "counseling/client_delete.html",
            status_code=422,
            title=kt(request, "delete_title"),
            errors={"confirm": kt(request, "delete_confirm_missing")},
        )
    response = await call(request, "identity", "POST", f"{IDENTITY}/accounts/{session.get('account_id')}/deletion")
    if response.status_code >= 300:
        raise Problem(kt(request, "delete_confirm_missing"), status=response.status_code)
    erase_after = response.json()["erase_after"]
    session.sign_out()
    return counseling_page(
        request, "counseling/client_deleted.html", title=kt(request, "deleted_title"), day=erase_after
    )
