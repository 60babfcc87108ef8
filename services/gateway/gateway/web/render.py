"""Rendering pages: Jinja2 templates with the language, font size, CSRF token and the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from gateway.sessions import CSRF_FIELD, CSRF_HEADER, WebSession
from gateway.web import describe
from gateway.web.i18n import activity_label, trait_label, translate
from teilhabe_events.activities import Activity, Trait
from teilhabe_kit.problems import Problem

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
FONTS = ("normal", "large", "xlarge")


class LoginRequired(Exception):
    """The page needs a signed-in user: redirect to the login page and back afterwards."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def session_of(request: Request) -> WebSession:
    return request.state.session


def lang_of(request: Request) -> str:
    return session_of(request).get("lang", "de")


def t(request: Request, key: str, **values: object) -> str:
    return translate(lang_of(request), key, **values)


def require_user(request: Request, *roles: str) -> WebSession:
    """The signed-in session (any of `roles` if given); otherwise to the login page / 403."""
    session = session_of(request)
    if not session.signed_in:
        raise LoginRequired(request.url.path)
    if roles and not set(roles).intersection(session.get("roles", [])):
        raise Problem(t(request, "forbidden"), status=403, title="Forbidden")
    return session


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    session = session_of(request)
    lang = lang_of(request)
    context = {
        "request": request,
        "lang": lang,
        "font": session.get("font", "normal"),
        "csrf": session.csrf,
        "csrf_field": CSRF_FIELD,
        "csrf_header": CSRF_HEADER,
        "signed_in": session.signed_in,
        "roles": session.get("roles", []),
        "t": lambda key, **values: translate(lang, key, **values),
        "activity_label": lambda code: activity_label(lang, code),
        "trait_label": lambda code: trait_label(lang, code),
        "schedule_text": lambda s: describe.schedule(lang, s),
        "day_text": lambda d: describe.day(lang, d),
        "money_text": lambda cents: describe.number(lang, cents / 100, 2) + " €",
        "km_text": lambda km: translate(lang, "km_away", km=describe.number(lang, km)),
        "moment_text": lambda d: describe.moment(lang, d),
        "ranges_text": lambda r: describe.ranges(lang, r),
        "activities": [a.value for a in Activity],
        "traits": [tr.value for tr in Trait],
        "errors": {},
        "values": {},
        "notice": translate(lang, session.pop("notice")) if session.get("notice") else None,
    } | context
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


def too_many(request: Request, retry_after: int) -> HTMLResponse:
    """The rate limit's answer to a browser: a page saying how long to wait (429)."""
    return page(
        request,
        "error.html",
        status_code=429,
        title=t(request, "title_429"),
        message=t(request, "rate_limited", seconds=max(1, retry_after)),
    )


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def home_of(session: WebSession) -> str:
    roles = session.get("roles", [])
    if "client" in roles:  # Ratsuchende of a counseling centre
        return "/mein-beratungskonto"
    if "applicant" in roles:  # not yet verified: only the own enrollments
        return "/mein-konto"
    if "assistant" in roles:
        return "/assistenz"
    if "seeker" in roles or "guardian" in roles:
        return "/suchende"
    if "admin" in roles:
        return "/verwaltung"
    if "coordinator" in roles:
        return "/koordination"
    if "facility_staff" in roles:
        return "/einrichtung"
    if "centre_admin" in roles:
        return "/beratungsstelle"
    if "counselor" in roles:
        return "/beratungsstelle/ratsuchende"
    return "/"
