"""Pages for everyone: start, Leichte Sprache, financing, login/logout, language, settings, PWA."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from gateway.tokens import principal_of
from gateway.web.api import call
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.i18n import LANGUAGES
from gateway.web.render import FONTS, home_of, page, see_other, session_of, t
from teilhabe_kit.auth import Unauthenticated

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
LOGIN_PATH = "/api/v1/identity/auth/login"


def _local(path: str) -> str:
    """Only same-site paths as redirect targets (no open redirects): browsers read ``/\\host`` as
    ``//host``, so backslashes and control characters make it the start page too."""
    same_site = path.startswith("/") and not path.startswith("//")
    return path if same_site and "\\" not in path and path.isprintable() else "/"


@router.get("/", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    return page(request, "start.html", title=t(request, "start_title"), home=home_of(session_of(request)))


@router.get("/leichte-sprache", response_class=HTMLResponse)
async def easy_language(request: Request) -> Response:
    return page(request, "easy.html", title=t(request, "easy"))


@router.get("/finanzierung", response_class=HTMLResponse)
async def financing(request: Request) -> Response:
    return page(request, "financing.html", title=t(request, "financing"))


@router.get("/offline", response_class=HTMLResponse)
async def offline(request: Request) -> Response:
    request.state.session = _Anonymous()
    return page(request, "offline.html", title=t(request, "offline_title"))


class _Anonymous:
    """The offline page is cached by the service worker: it must carry no session or token."""

    signed_in = False
    csrf = ""

    def get(self, key: str, default=None):
        return default


@router.get("/manifest.webmanifest")
async def manifest() -> JSONResponse:
    return JSONResponse(
        {
            "name": "Teilhabe – Assistenz-Portal",
            "short_name": "Teilhabe",
            "lang": "de",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b4f8a",
            "icons": [{"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any maskable"}],
        },
        media_type="application/manifest+json",
    )


@router.get("/sw.js")
async def service_worker() -> FileResponse:
    return FileResponse(
        STATIC / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/anmelden", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "") -> Response:
    return page(request, "login.html", title=t(request, "login"), next=_local(next or "/"))


@router.post("/anmelden", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    login_name, password = str(form.get("login", "")).strip(), str(form.get("password", ""))
    target = _local(str(form.get("next", "/")))
    errors = {}
    if not login_name:
        errors["login"] = t(request, "enter_login")
    if not password:
        errors["password"] = t(request, "enter_password")
    if not errors:
        response = await call(
            request,
            "identity",
            "POST",
            LOGIN_PATH,
            anonymous=True,
            json={"login": login_name, "password": password},
            expect={200, 201, 400, 401, 403, 409, 422, 423, 429},
        )
        if response.status_code in (200, 201):
            tokens = response.json()
            try:
                principal = await principal_of(request, tokens["access_token"])
            except Unauthenticated:
                errors["login"] = t(request, "login_failed")
            else:
                session = session_of(request)
                session.sign_in(tokens, principal.account_id, sorted(principal.roles))
                return see_other(target if target != "/" else home_of(session))
        elif response.status_code == 429:
            errors["login"] = t(request, "too_many")
        elif response.status_code == 403:  # the right password, but locked, not yet active or to be deleted
            errors["login"] = response.json().get("detail") or t(request, "login_failed")
        else:
            errors["login"] = t(request, "login_failed")
    return page(
        request,
        "login.html",
        status_code=422,
        title=t(request, "login"),
        next=target,
        errors=errors,
        values={"login": login_name},
    )


@router.post("/abmelden")
async def logout(request: Request) -> Response:
    session = session_of(request)
    refresh = session.get("refresh_token")
    if refresh:
        await call(
            request,
            "identity",
            "POST",
            "/api/v1/identity/auth/logout",
            anonymous=True,
            json={"refresh_token": refresh},
            expect={200, 204, 400, 401, 404, 422},
        )
    session.sign_out()
    session.set("notice", "logged_out")
    return see_other("/")


@router.post("/sprache")
async def language(request: Request) -> Response:
    form = await request.form()
    lang = str(form.get("lang", "de"))
    if lang in LANGUAGES:
        session_of(request).set("lang", lang)
    return see_other(_local(str(form.get("next", "/"))))


@router.get("/einstellungen", response_class=HTMLResponse)
async def settings_form(request: Request) -> Response:
    return page(request, "settings.html", title=t(request, "settings"), fonts=FONTS)


@router.post("/einstellungen", response_class=HTMLResponse)
async def settings_save(request: Request) -> Response:
    form = await request.form()
    session = session_of(request)
    if form.get("font") in FONTS:
        session.set("font", form["font"])
    if form.get("lang") in LANGUAGES:
        session.set("lang", form["lang"])
    return page(request, "settings.html", title=t(request, "settings"), fonts=FONTS, notice=t(request, "saved"))


@router.get("/hilfe")
async def help_page() -> Response:
    return see_other("/leichte-sprache")


@router.get("/passwort", response_class=HTMLResponse)
async def forgot_form(request: Request) -> Response:
    return page(request, "password_forgot.html", title=t(request, "forgot_title"))


@router.post("/passwort", response_class=HTMLResponse)
async def forgot(request: Request) -> Response:
    form = await request.form()
    login_name = str(form.get("login", "")).strip()
    if not login_name:
        return page(
            request,
            "password_forgot.html",
            status_code=422,
            title=t(request, "forgot_title"),
            errors={"login": t(request, "enter_login")},
        )
    await call(
        request,
        "identity",
        "POST",
        "/api/v1/identity/auth/password-reset",
        anonymous=True,
        json={"login": login_name},
        expect={202, 422, 429},
    )
    return page(request, "password_forgot.html", title=t(request, "forgot_title"), sent=True)


@router.get("/passwort-neu", response_class=HTMLResponse)
async def reset_form(request: Request, token: str = "") -> Response:
    return page(request, "password_reset.html", title=t(request, "reset_title"), token=token)


@router.post("/passwort-neu", response_class=HTMLResponse)
async def reset(request: Request) -> Response:
    form = await request.form()
    token, password = str(form.get("token", "")), str(form.get("password", ""))
    response = await call(
        request,
        "identity",
        "POST",
        "/api/v1/identity/auth/password-reset/confirm",
        anonymous=True,
        json={"token": token, "password": password},
        expect={204, 400, 404, 409, 410, 422},
    )
    if response.status_code == 204:
        session_of(request).set("notice", "password_changed")
        return see_other("/anmelden")
    errors = field_errors(response) if response.status_code == 422 else {"password": t(request, "reset_invalid")}
    if "token" in errors:
        errors = {"password": t(request, "reset_invalid")}
    return page(
        request, "password_reset.html", status_code=422, title=t(request, "reset_title"), token=token, errors=errors
    )
