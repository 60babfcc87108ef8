"""For other services (messaging): reset links and contact data, with a service credential.

Send ``X-Service-Credential: <secret>`` where the secret is one of ``IDENTITY_SERVICE_CREDENTIALS``
(comma-separated, from a secret store), or an admin's bearer token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from identity.api import schemas
from identity.api.deps import Config, service_or_admin
from identity.app import accounts as cases
from identity.app import auth
from identity.readmodels import queries
from teilhabe_kit.api import Engine
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix="/api/v1/identity/internal", tags=["internal"])
Service = Annotated[str, Depends(service_or_admin)]


@router.post(
    "/password-resets/{request_id}/delivery",
    response_model=schemas.ResetDelivery,
    summary="The one-time reset link for a PasswordResetRequested (once; service credential or admin)",
)
async def deliver_reset(request_id: str, engine: Engine, config: Config, caller: Service):
    async with engine.begin() as conn:
        return await auth.deliver_reset(conn, request_id, config, cases.now())


@router.get(
    "/accounts/{account_id}",
    response_model=schemas.InternalAccount,
    summary="Name, role, organisation and contact to address a person (service credential or admin)",
)
async def account(account_id: str, engine: Engine, caller: Service):
    async with engine.connect() as conn:
        row = await queries.account(conn, account_id)
    if row is None:
        raise NotFound("Dieses Konto gibt es nicht.")
    return schemas.InternalAccount(
        id=row.id,
        role=row.role,
        status=row.status,
        name=row.name,
        organisation_id=row.organisation_id,
        email=row.email,
        phone=row.phone,
    )


@router.get(
    "/accounts/{account_id}/contact",
    response_model=schemas.Contact,
    summary="E-mail and phone to notify; for a minor the guardian's, who is the only contact "
    "until the hand-over (service credential or admin)",
)
async def contact(account_id: str, engine: Engine, caller: Service):
    async with engine.connect() as conn:
        row = await queries.contact_of(conn, account_id)
        if row is None:
            raise NotFound("Dieses Konto gibt es nicht.")
        guardian = await queries.acting_guardian(conn, account_id, local_date(cases.now()))
    if guardian is not None:
        return schemas.Contact(email=guardian.email, phone=guardian.phone, via_guardian=guardian.id)
    return schemas.Contact(email=row.email, phone=row.phone)
