"""Sign-in, token refresh, sign-out, password reset and the JWKS document."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from identity import passwords
from identity.api import schemas
from identity.api.deps import Config, Issuer, client_address
from identity.app import accounts as cases
from identity.app import auth
from identity.app.auth import WRONG_LOGIN
from identity.readmodels import queries
from teilhabe_kit.api import Caller, Engine
from teilhabe_kit.problems import Unprocessable

router = APIRouter(prefix="/api/v1/identity", tags=["auth"])


def normalise_login(login: str) -> str:
    login = login.strip()
    if "@" in login:
        return login.lower()
    if any(ch.isalpha() for ch in login):
        return login.casefold()  # a staff member's login name
    return "".join(ch for ch in login if ch.isdigit() or ch == "+")


@router.get("/.well-known/jwks.json", summary="Public keys of access tokens (public)")
async def jwks(issuer: Issuer, response: Response) -> dict:
    response.headers["Cache-Control"] = "public, max-age=300"
    return issuer.jwks()


@router.post(
    "/auth/login", response_model=schemas.TokenResponse, summary="Sign in (public; throttled per account and address)"
)
async def login(body: schemas.Login, request: Request, engine: Engine, issuer: Issuer, config: Config):
    tokens = await auth.login(
        engine,
        issuer,
        config,
        normalise_login(body.login),
        body.password,
        client_address(request, config),
        cases.now(),
        body.centre_id,
    )
    return tokens.body()


@router.post("/auth/refresh", response_model=schemas.TokenResponse, summary="Rotate a refresh token (public)")
async def refresh(body: schemas.RefreshRequest, engine: Engine, issuer: Issuer, config: Config):
    return (await auth.refresh(engine, issuer, config, body.refresh_token, cases.now())).body()


@router.post("/auth/logout", status_code=204, summary="Sign out: ends the refresh token's family (public)")
async def logout(body: schemas.RefreshRequest, engine: Engine) -> Response:
    async with engine.begin() as conn:
        await auth.logout(conn, body.refresh_token, cases.now())
    return Response(status_code=204)


@router.post(
    "/auth/password-reset",
    status_code=202,
    summary="Ask for a reset link (public; answers the same for unknown logins)",
)
async def request_reset(body: schemas.ResetRequest, engine: Engine, config: Config) -> dict:
    async with engine.begin() as conn:
        await auth.request_reset_by_login(conn, normalise_login(body.login), config, cases.now())
    return {"detail": "Wenn es ein Konto dazu gibt, schicken wir Ihnen einen Link zum Ändern des Passworts."}


@router.post(
    "/auth/password-reset/confirm", status_code=204, summary="Set a new password with the one-time token (public)"
)
async def confirm_reset(body: schemas.ResetConfirm, engine: Engine) -> Response:
    async with engine.begin() as conn:
        await auth.confirm_reset(conn, body.token, body.password, cases.now())
    return Response(status_code=204)


@router.post("/auth/password", status_code=204, summary="Change the own password (signed in)")
async def change_password(body: schemas.PasswordChange, principal: Caller, engine: Engine) -> Response:
    async with engine.begin() as conn:
        row = await queries.password_of(conn, principal.account_id)
        if row is None or not passwords.verify(body.current_password, row.password_hash):
            raise Unprocessable(WRONG_LOGIN, field="current_password")
        reason = passwords.weakness(body.new_password, row.name, row.email)
        if reason:
            raise Unprocessable(reason, field="new_password")
        await auth.set_password(conn, principal.account_id, body.new_password, cases.now())
    return Response(status_code=204)
