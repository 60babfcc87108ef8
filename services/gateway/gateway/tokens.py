"""Which token a request carries: an app's bearer token, or the browser session's (refreshed).

Apps send ``Authorization: Bearer``; the gateway verifies it (the services verify again). A
browser's tokens stay in its server-side session; unsafe requests made with a session must carry
its CSRF token.
"""

from __future__ import annotations

import time

import jwt
from starlette.requests import Request

from gateway.sessions import CSRF_HEADER, WebSession
from gateway.upstream import Upstreams
from teilhabe_kit import problem_texts as texts
from teilhabe_kit.auth import Principal, TokenVerifier, Unauthenticated
from teilhabe_kit.problems import Problem

REFRESH_MARGIN_SECONDS = 30


class CsrfRejected(Problem):
    status = 403
    title = "Forbidden"

    def __init__(self) -> None:
        super().__init__(
            "Die Sitzung ist abgelaufen oder die Anfrage kam nicht von dieser Seite. Bitte laden Sie die Seite neu."
        )


def _expires_soon(token: str) -> bool:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return True
    return claims.get("exp", 0) - time.time() < REFRESH_MARGIN_SECONDS


async def session_token(request: Request, session: WebSession, upstreams: Upstreams) -> str | None:
    """The session's access token, renewed with the refresh token shortly before it expires; a
    session whose account was locked, marked for deletion or erased ends here."""
    token = session.get("access_token")
    if not token:
        return None
    if not _expires_soon(token):
        try:
            await principal_of(request, token)
        except Unauthenticated:
            session.sign_out()
            return None
        return token
    refresh = session.get("refresh_token")
    if refresh:
        settings = request.app.state.settings
        response = await upstreams.send(
            request,
            "identity",
            "POST",
            settings.identity_refresh_path,
            json={"refresh_token": refresh},
        )
        if response.status_code == 200:
            body = response.json()
            session.set("access_token", body["access_token"])
            session.set("refresh_token", body.get("refresh_token", refresh))
            # roles may have changed meanwhile (a centre admin changed a team member's role): the menu follows
            session.set("roles", sorted((await principal_of(request, body["access_token"])).roles))
            return body["access_token"]
    session.sign_out()
    return None


async def principal_of(request: Request, token: str) -> Principal:
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(token)


async def api_token(request: Request) -> str | None:
    """The token to forward for an API call, or None (anonymous: the service decides)."""
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    if scheme:
        if scheme.lower() != "bearer" or not bearer.strip():
            raise Unauthenticated(texts.SIGN_IN)
        await principal_of(request, bearer.strip())
        return bearer.strip()
    session: WebSession | None = getattr(request.state, "session", None)
    if session is None or not session.signed_in:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS") and not session.csrf_ok(request.headers.get(CSRF_HEADER)):
        raise CsrfRejected()
    return await session_token(request, session, request.app.state.upstreams)
