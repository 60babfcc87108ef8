"""Errors for people and for programs: a browser gets a page in its language with a way back, an
API client (an ``/api/`` path, or ``Accept`` asking for JSON and not for HTML) keeps problem+json."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse

from gateway.tokens import CsrfRejected
from gateway.web.render import home_of, page, session_of, t
from teilhabe_kit.problems import Problem

API_PREFIXES = ("/api/", "/events", "/health/")
PAGE_TEXTS = {403: "forbidden", 404: "not_found", 405: "not_found", 422: "bad_address", 503: "service_down"}
"""The words a person reads for a status (the title is `title_<status>`)."""


def wants_page(request: Request) -> bool:
    """A person's browser on a web address (it asks for HTML; programs ask for JSON)."""
    if request.url.path.startswith(API_PREFIXES) or getattr(request.state, "session", None) is None:
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "json" not in accept


def _way_back(request: Request) -> str | None:
    """The page the person came from, when it is one of ours and not this one."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/") or referer.path == request.url.path:
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def error_page(request: Request, status: int, message: str | None = None, title: str | None = None) -> HTMLResponse:
    """The error page: what happened in plain words, the way back and the person's start page."""
    session = session_of(request)
    return page(
        request,
        "error.html",
        status_code=status,
        title=title or t(request, f"title_{status}" if status in PAGE_TEXTS or status == 502 else "title_error"),
        message=message or t(request, PAGE_TEXTS.get(status, "unexpected")),
        back=_way_back(request),
        home=home_of(session) if session.signed_in else "/",
    )


def problem_page(request: Request, error: Problem) -> HTMLResponse:
    if isinstance(error, CsrfRejected):
        return error_page(request, error.status, t(request, "csrf"))
    if error.status in (403, 404, 503):
        return error_page(request, error.status)
    return error_page(
        request, error.status, error.detail, t(request, "title_502") if error.status == 502 else error.title
    )


def validation_page(request: Request, error: RequestValidationError) -> HTMLResponse:
    """A page address with a part that is not valid (``?seite=abc``): said in words."""
    return error_page(request, 422)
