"""Per request: rate limit, then the browser session loaded before and saved when the answer starts."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from sqlalchemy.exc import DBAPIError
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class GatewayMiddleware:
    """Plain ASGI (not `BaseHTTPMiddleware`, whose task group and memory streams per request cost
    the proxy more than the rate limit does): the rate limit and the session before the handler,
    headers and the session's cookie when the answer starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES) or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        request = Request(scope, receive)
        state = scope["app"].state
        limiter = state.rate_limiter
        try:
            body = await request.body() if limiter.wants_body(request) else None
            verdict = await limiter.take(request, body or b"")
            if not verdict.allowed:
                await (await _too_many(request, verdict.retry_after))(scope, receive, send)
                return
            app_call = request.headers.get("Authorization") and path.startswith("/api/")
            previous = request.cookies.get(COOKIE)
            if not app_call:
                request.state.session = await state.sessions.load(request)
        except (DBAPIError, OSError) as error:
            log.warning("gateway database unavailable: %s", type(error).__name__)
            unavailable = problem_response(
                503, detail=texts.TRY_AGAIN, instance=path, headers={"Retry-After": "5"}, lang=texts.language(request)
            )
            await unavailable(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                await self._finish(request, previous, message)
            await send(message)

        await self.app(scope, _replaying(body, receive) if body is not None else receive, send_with_headers)

    async def _finish(self, request: Request, previous: str | None, message: Message) -> None:
        """The answer's headers: API or page headers, and the session saved with its cookie."""
        state = request.app.state
        status = message["status"]
        headers = MutableHeaders(scope=message)
        if state.rate_limiter.is_refresh(request) and 400 <= status < 500 and status != 429:
            await state.rate_limiter.refused_refresh(request)
        session = getattr(request.state, "session", None)
        if request.url.path.startswith(MACHINE_PREFIXES):
            headers.update(API_HEADERS | {"Cache-Control": headers.get("Cache-Control", "no-store")})
        else:
            for name, value in state.security_headers.items():  # a download keeps its own sandbox CSP
                headers.setdefault(name, value)
            signed_in = session is not None and session.signed_in
            if signed_in and "no-store" not in headers.get("Cache-Control", ""):  # personal: never kept
                headers["Cache-Control"] = "no-store"
        if session is not None and session.changed:
            await state.sessions.save(session, previous)
            settings = state.settings
            cookie = Response()
            cookie.set_cookie(
                COOKIE,
                session.cookie,
                max_age=settings.session_days * 86400,
                path="/",
                secure=settings.cookie_secure,
                httponly=True,
                samesite="lax",
            )
            headers.append("set-cookie", cookie.headers["set-cookie"])


async def _too_many(request: Request, retry_after: int) -> Response:
    """problem+json for machines, a page in the person's language for people."""
    path = request.url.path
    if path.startswith(MACHINE_PREFIXES):
        return problem_response(
            429,
            detail="Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment.",
            en="Too many requests in a short time. Please wait a moment.",
            instance=path,
            headers={"Retry-After": str(retry_after)},
            lang=texts.language(request),
        )
    state = request.app.state
    request.state.session = await state.sessions.load(request)
    response = too_many(request, retry_after)
    response.headers.update(state.security_headers | {"Retry-After": str(retry_after)})
    return response


def _replaying(body: bytes, receive: Receive) -> Receive:
    """`receive` that hands the body the middleware read on to the handler first."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
