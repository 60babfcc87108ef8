"""Back office: search accounts, a person's history, lock/unlock, restore, guardians, invitations, the daily jobs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from identity.api import schemas
from identity.api.deps import Config, is_admin
from identity.api.views import account_out
from identity.app import accounts as cases
from identity.app import auth
from identity.app.erasure import run_due_jobs
from identity.app.history import history
from identity.domain import account as domain
from identity.domain.account import Status
from identity.readmodels import queries
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit.api import Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Forbidden

router = APIRouter(prefix="/api/v1/identity", tags=["admin"])
Admin = Depends(require_roles(Role.ADMIN))


@router.get(
    "/accounts",
    response_model=schemas.AccountPage,
    summary="Search accounts (admins; coordinators see the assistants of their own provider)",
)
async def list_accounts(
    engine: Engine,
    principal: Principal = Depends(require_roles(Role.ADMIN, Role.COORDINATOR)),
    role: AccountRole | None = None,
    status: Status | None = None,
    organisation_id: Annotated[str | None, Query(max_length=64)] = None,
    locked: bool | None = None,
    marked_for_deletion: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="part of name, e-mail or phone")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    if not is_admin(principal):
        if not principal.organisation_id:
            raise Forbidden("Sie gehören zu keiner Organisation.")
        organisation_id, role = principal.organisation_id, AccountRole.ASSISTANT
    async with engine.connect() as conn:
        total, rows = await queries.account_page(
            conn,
            equal={"role": role, "status": status, "organisation_id": organisation_id, "locked": locked},
            marked_for_deletion=marked_for_deletion,
            search=q,
            search_contacts=is_admin(principal),
            limit=limit,
            offset=offset,
        )
        items = [account_out(row, principal) for row in rows]
    return schemas.AccountPage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/accounts/{account_id}/history",
    response_model=list[schemas.HistoryEntry],
    summary="One person's history from the event store, oldest first (admins; data-subject requests)",
)
async def account_history(account_id: str, engine: Engine, principal: Principal = Admin):
    async with engine.connect() as conn:
        await cases.existing(conn, account_id)
        return await history(conn, account_id)


@router.post("/accounts/{account_id}/lock", summary="Lock: sign-in refused (admins)")
async def lock(account_id: str, body: schemas.ReasonIn, engine: Engine, principal: Principal = Admin) -> dict:
    async with engine.begin() as conn:
        await cases.act(
            conn, account_id, lambda s: domain.lock(s, body.reason, principal.account_id), principal.account_id
        )
        await auth.end_sessions(conn, account_id, cases.now())
    return {"account_id": account_id, "locked": True}


@router.delete("/accounts/{account_id}/membership", summary="End the membership in the organisation (admins)")
async def end_membership(account_id: str, engine: Engine, principal: Principal = Admin) -> dict:
    async with engine.begin() as conn:
        await cases.act(
            conn, account_id, lambda s: domain.end_membership(s, principal.account_id), principal.account_id
        )
        await auth.end_sessions(conn, account_id, cases.now())  # the organisation claim must not live on
    return {"account_id": account_id, "organisation_id": None}


@router.post("/accounts/{account_id}/unlock", summary="Unlock (admins)")
async def unlock(account_id: str, engine: Engine, principal: Principal = Admin) -> dict:
    async with engine.begin() as conn:
        await cases.act(conn, account_id, lambda s: domain.unlock(s, principal.account_id), principal.account_id)
    return {"account_id": account_id, "locked": False}


@router.post("/accounts/{account_id}/restore", summary="Undo a deletion before the erasure date (admins)")
async def restore(account_id: str, engine: Engine, principal: Principal = Admin) -> dict:
    async with engine.begin() as conn:
        await cases.act(conn, account_id, lambda s: domain.restore(s, principal.account_id), principal.account_id)
    return {"account_id": account_id, "restored": True}


@router.post(
    "/accounts/{account_id}/invitation", status_code=202, summary="Send a (new) link to set the password (admins)"
)
async def invite(account_id: str, engine: Engine, config: Config, principal: Principal = Admin) -> dict:
    async with engine.begin() as conn:
        await cases.existing(conn, account_id)
        request_id = await auth.request_reset(conn, account_id, config, cases.now(), actor_id=principal.account_id)
    return {"account_id": account_id, "request_id": request_id}


@router.post("/accounts/{account_id}/guardians", status_code=201, summary="A guardian acts for a minor (admins)")
async def assign_guardian(
    account_id: str, body: schemas.GuardianIn, engine: Engine, principal: Principal = Admin
) -> dict:
    async with engine.begin() as conn:
        acts_until = await cases.assign_guardian(
            conn, account_id, body.guardian_id, body.birth_date, principal.account_id, local_date(cases.now())
        )
    return {"account_id": account_id, "guardian_id": body.guardian_id, "acts_until": acts_until.isoformat()}


@router.delete("/accounts/{account_id}/guardians/{guardian_id}", status_code=204, summary="End a guardianship (admins)")
async def end_guardianship(account_id: str, guardian_id: str, engine: Engine, principal: Principal = Admin) -> Response:
    async with engine.begin() as conn:
        await cases.act(conn, account_id, lambda s: domain.end_guardianship(s, guardian_id), principal.account_id)
    return Response(status_code=204)


@router.post(
    "/admin/jobs/run",
    response_model=schemas.JobReportOut,
    summary="Run the deletion routine now: erase due accounts, end guardianships past hand-over (admins)",
)
async def run_jobs(engine: Engine, principal: Principal = Admin):
    report = await run_due_jobs(engine, local_date(cases.now()))
    return schemas.JobReportOut(
        erased=report.erased, guardianships_ended=report.guardianships_ended, forgotten=report.forgotten
    )
