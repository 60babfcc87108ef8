"""Per request: rate limit, then the browser session loaded before and saved after the handler."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from sqlalchemy.exc import DBAPIError
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import Response

from gateway.sessions import COOKIE
from gateway.web.render import too_many
from teilhabe_kit import problem_texts as texts
from teilhabe_kit.problems import problem_response

log = logging.getLogger(__name__)

EXEMPT_PREFIXES = ("/static/", "/health/")
EXEMPT_PATHS = {"/sw.js", "/manifest.webmanifest", "/favicon.ico", "/offline"}
MACHINE_PREFIXES = ("/api/", "/events")  # problem+json; everything else is a page for people
API_HEADERS = {"X-Content-Type-Options": "nosniff"}
"""Every JSON answer (personal ones too): never sniffed, and not cached unless the service says so."""


def security_headers(tile_url: str) -> dict[str, str]:
    """Headers of every page: no framing, no sniffing, scripts and styles only from this site."""
    tiles = ""
    if tile_url:
        parts = urlsplit(tile_url)
        host = "*." + parts.netloc[4:] if parts.netloc.startswith("{s}.") else parts.netloc
        tiles = f" {parts.scheme}://{host}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; img-src 'self' data:{tiles}; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }


class GatewayMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next) -> Response:
        path = request.url.path
        if path.startswith(EXEMPT_PREFIXES) or path in EXEMPT_PATHS:
            return await call_next(request)
        state = request.app.state
        try:
            verdict = await state.rate_limiter.take(request)
            if not verdict.allowed:
                if path.startswith(MACHINE_PREFIXES):
                    return problem_response(
                        429,
                        detail="Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment.",
                        en="Too many requests in a short time. Please wait a moment.",
                        instance=path,
                        headers={"Retry-After": str(verdict.retry_after)},
                        lang=texts.language(request),
                    )
                request.state.session = await state.sessions.load(request)  # a page in the person's language
                response = too_many(request, verdict.retry_after)
                response.headers.update(state.security_headers | {"Retry-After": str(verdict.retry_after)})
                return response
            app_call = request.headers.get("Authorization") and path.startswith("/api/")
            previous = request.cookies.get(COOKIE)
            if not app_call:
                request.state.session = await state.sessions.load(request)
        except (DBAPIError, OSError) as error:
            log.warning("gateway database unavailable: %s", type(error).__name__)
            return problem_response(
                503,
                detail=texts.TRY_AGAIN,
                instance=path,
                headers={"Retry-After": "5"},
                lang=texts.language(request),
            )
        response = await call_next(request)
        if state.rate_limiter.is_refresh(request) and 400 <= response.status_code < 500 and response.status_code != 429:
            await state.rate_limiter.refused_refresh(request)
        session = getattr(request.state, "session", None)
        if path.startswith(MACHINE_PREFIXES):
            response.headers.update(API_HEADERS | {"Cache-Control": response.headers.get("Cache-Control", "no-store")})
        else:
            for name, value in state.security_headers.items():  # a download keeps its own sandbox CSP
                response.headers.setdefault(name, value)
            signed_in = session is not None and session.signed_in
            if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):  # personal: never kept
                response.headers["Cache-Control"] = "no-store"
        if session is not None and session.changed:
            await state.sessions.save(session, previous)
            settings = state.settings
            response.set_cookie(
                COOKIE,
                session.cookie,
                max_age=settings.session_days * 86400,
                path="/",
                secure=settings.cookie_secure,
                httponly=True,
                samesite="lax",
            )
        return response
