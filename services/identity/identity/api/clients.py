"""Clients (Ratsuchende) of counseling centres: accounts opened by the centre's staff or by the
person, sign-in by pseudonym, a new password, lock, unlock, deletion and restore.

Who may: counselors and centre admins of the centre in their token (`org`) open clients and give
them a new password; lock, unlock, deletion and restore are the centre admins' — 403 for another
centre's staff and every other role, 404 for an account that is not a client of that centre.
Self-registration and the client sign-in are public (throttled like every sign-in).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from identity.api import client_schemas as schemas
from identity.api.deps import Config, Issuer, client_address
from identity.api.schemas import Deletion, TokenResponse
from identity.app import accounts as cases
from identity.app import auth, clients
from identity.domain.clients import initial_password
from teilhabe_kit import idempotency
from teilhabe_kit.api import Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Forbidden

router = APIRouter(prefix="/api/v1/identity", tags=["clients"])
Staff = Depends(require_roles(Role.COUNSELOR, Role.CENTRE_ADMIN))
Admin = Depends(require_roles(Role.CENTRE_ADMIN))
"""Lock, unlock, deletion and restore: the centre's admins only (seed 003: „Zugriff nur für Admins“)."""


def _own_centre(principal: Principal, centre_id: str) -> None:
    if principal.organisation_id != centre_id:
        raise Forbidden("Sie dürfen nur Ratsuchende Ihrer eigenen Beratungsstelle verwalten.")


@router.post(
    "/centres/{centre_id}/clients",
    status_code=201,
    response_model=schemas.ClientOpened,
    summary="Konto für eine ratsuchende Person anlegen: Pseudonym, Start-Passwort wird einmal gezeigt "
    "(Beratende, Admins der Stelle; Idempotency-Key)",
)
async def open_client(
    centre_id: str,
    body: schemas.ClientIn,
    engine: Engine,
    principal: Principal = Staff,
    idempotency_key: IdempotencyKey = None,
):
    _own_centre(principal, centre_id)
    scope = f"identity:client:{centre_id}"
    async with engine.begin() as conn:
        if idempotency_key:
            stored = await idempotency.claim(conn, scope, idempotency_key, idempotency.fingerprint(body))
            if stored is not None:
                return stored.response()
        password = initial_password()
        account_id = await clients.open_account(
            conn,
            centre_id,
            pseudonym=body.pseudonym,
            password=password,
            email=body.email,
            phone=body.phone,
            created_by=principal.account_id,
        )
        answer = schemas.ClientOpened(
            account_id=account_id, pseudonym=body.pseudonym, initial_password=password
        ).model_dump(mode="json")
        if idempotency_key:
            await idempotency.remember(conn, scope, idempotency_key, 201, answer)
    return JSONResponse(answer, status_code=201, headers={"Cache-Control": "no-store"})


@router.post(
    "/centres/{centre_id}/client-registrations",
    status_code=201,
    response_model=schemas.ClientRegistered,
    summary="Als ratsuchende Person bei einer Beratungsstelle registrieren: Pseudonym und Passwort, "
    "E-Mail und Handy freiwillig (öffentlich)",
)
async def register_client(centre_id: str, body: schemas.SelfRegistration, engine: Engine):
    async with engine.begin() as conn:
        account_id = await clients.open_account(
            conn,
            centre_id,
            pseudonym=body.pseudonym,
            password=body.password,
            email=body.email,
            phone=body.phone,
            created_by=None,
        )
    return JSONResponse({"account_id": account_id, "centre_id": centre_id}, status_code=201)


@router.post(
    "/auth/client-login",
    response_model=TokenResponse,
    summary="Anmelden als ratsuchende Person mit Beratungsstelle, Pseudonym und Passwort (öffentlich; "
    "must_change_password: zuerst das Passwort ändern)",
)
async def client_login(body: schemas.ClientLogin, request: Request, engine: Engine, issuer: Issuer, config: Config):
    tokens = await auth.login(
        engine,
        issuer,
        config,
        body.pseudonym,
        body.password,
        client_address(request, config),
        cases.now(),
        client_of=body.centre_id,
    )
    return tokens.body()


@router.post(
    "/centres/{centre_id}/clients/{account_id}/password",
    response_model=schemas.NewPassword,
    summary="Neues Start-Passwort vergeben (einmal gezeigt; alle Sitzungen enden) (Beratende, Admins der Stelle)",
)
async def new_password(centre_id: str, account_id: str, engine: Engine, principal: Principal = Staff):
    _own_centre(principal, centre_id)
    async with engine.begin() as conn:
        now = cases.now()
        password = await clients.new_password(conn, centre_id, account_id, now)
        await auth.end_sessions(conn, account_id, now)
    answer = schemas.NewPassword(account_id=account_id, initial_password=password).model_dump(mode="json")
    return JSONResponse(answer, headers={"Cache-Control": "no-store"})


@router.post(
    "/centres/{centre_id}/clients/{account_id}/lock",
    summary="Sperren: Anmelden, Schreiben und Buchen sofort nicht mehr möglich (Admins der Stelle)",
)
async def lock(
    centre_id: str, account_id: str, body: schemas.LockIn, engine: Engine, principal: Principal = Admin
) -> dict:
    _own_centre(principal, centre_id)
    async with engine.begin() as conn:
        await clients.lock(conn, centre_id, account_id, body.reason, principal.account_id)
        await auth.end_sessions(conn, account_id, cases.now())
    return {"account_id": account_id, "locked": True}


@router.post("/centres/{centre_id}/clients/{account_id}/unlock", summary="Entsperren (Admins der Stelle)")
async def unlock(centre_id: str, account_id: str, engine: Engine, principal: Principal = Admin) -> dict:
    _own_centre(principal, centre_id)
    async with engine.begin() as conn:
        await clients.unlock(conn, centre_id, account_id, principal.account_id)
    return {"account_id": account_id, "locked": False}


@router.post(
    "/centres/{centre_id}/clients/{account_id}/deletion",
    response_model=Deletion,
    summary="Löschen: sofort keine Anmeldung mehr, endgültig gelöscht nach den Tagen der Stelle, bis dahin "
    "wiederherstellbar (Admins der Stelle)",
)
async def delete(centre_id: str, account_id: str, engine: Engine, config: Config, principal: Principal = Admin):
    _own_centre(principal, centre_id)
    async with engine.begin() as conn:
        now = cases.now()
        erase_after = await clients.request_deletion(
            conn, centre_id, account_id, principal.account_id, local_date(now), config.deletion_retention_days
        )
        await auth.end_sessions(conn, account_id, now)
    return Deletion(account_id=account_id, erase_after=erase_after)


@router.post(
    "/centres/{centre_id}/clients/{account_id}/restore",
    summary="Löschung zurücknehmen (bis zum Löschtag) (Admins der Stelle)",
)
async def restore(centre_id: str, account_id: str, engine: Engine, principal: Principal = Admin) -> dict:
    _own_centre(principal, centre_id)
    async with engine.begin() as conn:
        await clients.restore(conn, centre_id, account_id, principal.account_id)
    return {"account_id": account_id, "restored": True}
