"""Sign-up of seekers and assistants (public) and of staff accounts (admins)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from identity import passwords
from identity.api import schemas
from identity.api.deps import Config
from identity.app import accounts as cases
from identity.app import auth, signup
from identity.domain import events as e
from identity.domain.rules import ORGANISATION_ROLES
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit import idempotency, postcodes
from teilhabe_kit.api import Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.problems import Unprocessable

router = APIRouter(prefix="/api/v1/identity", tags=["registration"])
CONSENT_KINDS = ("privacy", "withdrawal", "terms", "data_processing")


def _check_contact_and_password(body: schemas._Registration) -> None:
    if body.email is None and body.phone is None:
        raise Unprocessable("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.", field="email")
    reason = passwords.weakness(body.password, body.name, body.email)
    if reason:
        raise Unprocessable(reason, field="password")


def _place(postcode: str | None) -> CoarsePlace | None:
    found = postcodes.lookup(postcode) if postcode else None
    return CoarsePlace.around(*found) if found else None


RECEIVED = {
    "status": "received",
    "detail": "Danke. Wir haben Ihnen eine Nachricht geschickt. Darin steht, wie es weitergeht.",
}
"""The answer to every sign-up, new or known contact alike (no account enumeration)."""


async def _register(
    engine, config, scope: str, key: str | None, body: schemas._Registration, event: e.Registered
) -> JSONResponse:
    try:
        return await _sign_up_once(engine, config, scope, key, body, event)
    except cases.ContactTaken:  # a concurrent sign-up with the same contact won: now it is a known one
        return await _sign_up_once(engine, config, scope, key, body, event)


async def _sign_up_once(
    engine, config, scope: str, key: str | None, body: schemas._Registration, event: e.Registered
) -> JSONResponse:

    async def create(conn: AsyncConnection) -> dict:
        await signup.sign_up(conn, event, body.password, config, cases.now())
        return RECEIVED

    fingerprinted = body.model_dump(mode="json", exclude={"password"})
    return await idempotency.once(engine, scope, key, fingerprinted, create, status_code=202)


def _consents(version: str, now: datetime) -> tuple[e.Consent, ...]:
    return tuple(e.Consent(kind=kind, version=version, given_at=now) for kind in CONSENT_KINDS)


@router.post(
    "/registrations/seekers",
    status_code=202,
    response_model=schemas.RegistrationReceived,
    summary="Register a person seeking assistance (public; pending verification). The same answer for a known "
    "contact, whose owner gets a message instead",
)
async def register_seeker(
    body: schemas.SeekerRegistration, engine: Engine, config: Config, idempotency_key: IdempotencyKey = None
):
    _check_contact_and_password(body)
    event = e.Registered(
        role=AccountRole.SEEKER,
        consents=_consents(config.consent_version, cases.now()),
        name=body.name,
        email=body.email,
        phone=body.phone,
        introduction=body.introduction,
        postcode=body.postcode,
        place=_place(body.postcode),
        needs=tuple(body.needs),
        time_windows=tuple(body.time_windows),
    )
    return await _register(engine, config, "identity:register-seeker", idempotency_key, body, event)


@router.post(
    "/registrations/assistants",
    status_code=202,
    response_model=schemas.RegistrationReceived,
    summary="Register an assistant (public): a provider to join or self-employment. The same answer for a known "
    "contact, whose owner gets a message instead",
)
async def register_assistant(
    body: schemas.AssistantRegistration, engine: Engine, config: Config, idempotency_key: IdempotencyKey = None
):
    _check_contact_and_password(body)
    if (body.organisation_id is None) == (not body.self_employed):
        raise Unprocessable(
            "Bitte wählen Sie einen Leistungs-Anbieter oder geben Sie an, dass Sie selbstständig sind (nicht beides).",
            field="organisation_id",
        )
    event = e.Registered(
        role=AccountRole.ASSISTANT,
        organisation_id=body.organisation_id,
        self_employed=body.self_employed,
        consents=_consents(config.consent_version, cases.now()),
        name=body.name,
        email=body.email,
        phone=body.phone,
        introduction=body.introduction,
        postcode=body.postcode,
        place=_place(body.postcode),
        radius_km=body.radius_km,
        activities=tuple(body.activities),
        ranges=tuple(body.availability),
        traits=tuple(body.traits),
    )
    return await _register(engine, config, "identity:register-assistant", idempotency_key, body, event)


@router.post(
    "/staff",
    status_code=201,
    response_model=schemas.Registered,
    summary="Create a coordinator, counselor, facility staff, guardian or admin account (admins); "
    "the person sets a password through the invitation (PasswordResetRequested)",
)
async def create_staff(
    body: schemas.StaffAccount,
    engine: Engine,
    config: Config,
    principal: Principal = Depends(require_roles(Role.ADMIN)),
    idempotency_key: IdempotencyKey = None,
):
    if body.email is None and body.phone is None:
        raise Unprocessable("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.", field="email")
    if (body.role in ORGANISATION_ROLES) != (body.organisation_id is not None):
        raise Unprocessable(
            "Koordination, Beratung und Einrichtungs-Personal gehören zu genau einer Organisation.",
            field="organisation_id",
        )
    scope = "identity:staff"
    async with engine.begin() as conn:
        if idempotency_key:
            stored = await idempotency.claim(conn, scope, idempotency_key, idempotency.fingerprint(body))
            if stored is not None:
                return stored.response()
        event = e.Registered(
            role=body.role,
            organisation_id=body.organisation_id,
            created_by=principal.account_id,
            name=body.name,
            email=body.email,
            phone=body.phone,
            postcode=body.postcode,
            place=_place(body.postcode),
        )
        account_id = await cases.register(conn, event, password=None, actor_id=principal.account_id)
        await auth.request_reset(conn, account_id, config, cases.now(), actor_id=principal.account_id)
        answer = {"account_id": account_id, "status": "active"}
        if idempotency_key:
            await idempotency.remember(conn, scope, idempotency_key, 201, answer)
    return JSONResponse(answer, status_code=201, headers={"Location": f"{router.prefix}/accounts/{account_id}"})
