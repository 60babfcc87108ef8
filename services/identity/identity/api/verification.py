"""Verification by customer service: steps with reasons, activation when complete, refusal."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from identity.api import schemas
from identity.api.deps import is_admin, visible_account
from identity.app import accounts as cases
from identity.domain import account as domain
from identity.domain.rules import required_steps
from identity.readmodels import queries
from teilhabe_kit.api import Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.problems import Forbidden

router = APIRouter(prefix="/api/v1/identity", tags=["verification"])
Verifier = Depends(require_roles(Role.ADMIN, Role.COORDINATOR))


@router.get(
    "/accounts/{account_id}/verification",
    response_model=schemas.Verification,
    summary="Required, completed and missing steps (admins; coordinators for assistants of their provider)",
)
async def verification(account_id: str, engine: Engine, principal: Principal = Verifier):
    async with engine.connect() as conn:
        row = await visible_account(conn, principal, account_id)
        steps = await queries.verification_steps_of(conn, account_id)
    required = sorted(required_steps(row.role, self_employed=row.self_employed))
    done = {s.step for s in steps}
    return schemas.Verification(
        account_id=account_id,
        status=row.status,
        required=required,
        completed=[
            schemas.Step(step=s.step, reason=s.reason, recorded_by=s.recorded_by, recorded_at=s.recorded_at)
            for s in steps
        ],
        missing=[s for s in required if s not in done],
    )


@router.post(
    "/accounts/{account_id}/verification-steps",
    status_code=201,
    summary="Record a verification step with its reason (admins; a coordinator only the provider "
    "interview and acceptance of assistants who chose their provider)",
)
async def record_step(account_id: str, body: schemas.StepIn, engine: Engine, principal: Principal = Verifier) -> dict:
    async with engine.begin() as conn:
        await visible_account(conn, principal, account_id)
        if not is_admin(principal) and not domain.is_provider_step(body.step):
            raise Forbidden("Diesen Schritt erfasst der Kunden-Service des Portals.")
        await cases.record_step(conn, account_id, body.step, body.reason, principal.account_id)
    return {"account_id": account_id, "step": body.step}


@router.post("/accounts/{account_id}/activation", summary="Activate when every required step is complete (admins)")
async def activate(account_id: str, engine: Engine, principal: Principal = Depends(require_roles(Role.ADMIN))) -> dict:
    async with engine.begin() as conn:
        await cases.act(conn, account_id, lambda s: domain.activate(s, principal.account_id), principal.account_id)
    return {"account_id": account_id, "status": "active"}


@router.post("/accounts/{account_id}/refusal", summary="Refuse the verification with a reason (admins)")
async def refuse(
    account_id: str, body: schemas.ReasonIn, engine: Engine, principal: Principal = Depends(require_roles(Role.ADMIN))
) -> dict:
    async with engine.begin() as conn:
        await cases.act(
            conn, account_id, lambda s: domain.refuse(s, body.reason, principal.account_id), principal.account_id
        )
    return {"account_id": account_id, "status": "refused"}
