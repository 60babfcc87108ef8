"""Erasure requests (restrict during retention) and the retention run (admin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from contracts.api.common import PREFIX, settings
from contracts.app import retention
from teilhabe_kit.api import engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.localtime import today

router = APIRouter(prefix=PREFIX, tags=["retention"])


@router.post(
    "/erasure-requests",
    status_code=202,
    summary="Ask for erasure: registration data goes now, contract records are restricted until the retention ends",
)
async def request_erasure(
    request: Request, principal: Principal = Depends(require_roles(Role.SEEKER, Role.GUARDIAN, Role.ASSISTANT))
) -> dict:
    async with engine(request).begin() as conn:
        restricted = await retention.restrict_person(conn, principal.account_id)
    return {
        "restricted": restricted,
        "detail": "Ihre Daten werden nach Ablauf der gesetzlichen Aufbewahrungsfrist gelöscht. "
        "Bis dahin sehen sie nur noch die Stellen, die sie aufbewahren müssen.",
    }


@router.post("/retention/run", summary="Erase every record whose retention period has passed (admin)")
async def run_retention(request: Request, principal: Principal = Depends(require_roles(Role.ADMIN))) -> dict:
    async with engine(request).begin() as conn:
        erased = await retention.erase_expired(conn, today(), settings(request).retention_years)
    return {"erased": erased}
