"""Teams of counseling centres: invitations (within the seats), roles, removal, seat requests, and
the invited person's side (see the invitation, accept it) and switching the centre a session acts for.

Who may: the platform admin (`admin`) for every centre; a centre admin (`centre_admin`) only for the
centre in the token's `org`; counselors never (403). Another centre's admin gets 403 as well.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.api import schemas
from identity.api.deps import Config, Issuer
from identity.app import accounts as cases
from identity.app import auth, staff
from identity.readmodels import queries
from teilhabe_kit import idempotency
from teilhabe_kit.api import Caller, Engine
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.problems import Forbidden

router = APIRouter(prefix="/api/v1/identity", tags=["centres"])
TeamAdmin = Depends(require_roles(Role.ADMIN, Role.CENTRE_ADMIN))


def _may_manage(principal: Principal, centre_id: str) -> bool:
    """True for the platform admin; a centre admin only for their own centre (403 otherwise)."""
    if principal.has(Role.ADMIN):
        return True
    if principal.has(Role.CENTRE_ADMIN) and principal.organisation_id == centre_id:
        return False
    raise Forbidden("Sie dürfen nur das Team Ihrer eigenen Beratungsstelle verwalten.")


@router.get("/centres/{centre_id}/team", response_model=schemas.Team, summary="Team and seats (centre admins, admin)")
async def team(centre_id: str, engine: Engine, principal: Principal = TeamAdmin):
    _may_manage(principal, centre_id)
    async with engine.connect() as conn:
        return await staff.team(conn, centre_id, cases.now())


@router.post(
    "/centres/{centre_id}/invitations",
    status_code=201,
    response_model=schemas.InvitationOut,
    summary="Invite a person by e-mail (Idempotency-Key); 409 beyond the seats or before the agreement "
    "(centre admins, admin)",
)
async def invite(
    centre_id: str,
    body: schemas.InvitationIn,
    engine: Engine,
    config: Config,
    principal: Principal = TeamAdmin,
    idempotency_key: IdempotencyKey = None,
):
    _may_manage(principal, centre_id)

    async def create(conn: AsyncConnection) -> dict:
        made = await staff.invite(
            conn,
            config,
            centre_id,
            name=body.name,
            email=body.email,
            role=body.role,
            by=principal.account_id,
            now=cases.now(),
        )
        return schemas.InvitationOut(**made).model_dump(mode="json")

    return await idempotency.once(engine, f"identity:invitation:{centre_id}", idempotency_key, body, create)


@router.put(
    "/centres/{centre_id}/team/{account_id}/role",
    status_code=204,
    summary="Change a member's role; the last admin stays admin (centre admins, admin)",
)
async def change_role(
    centre_id: str, account_id: str, body: schemas.RoleIn, engine: Engine, principal: Principal = TeamAdmin
) -> Response:
    platform = _may_manage(principal, centre_id)
    async with engine.begin() as conn:
        await staff.change_role(conn, centre_id, account_id, body.role, principal.account_id, platform_admin=platform)
    return Response(status_code=204)


@router.delete(
    "/centres/{centre_id}/team/{account_id}",
    status_code=204,
    summary="Remove a member or withdraw an invitation; the last admin stays (centre admins, admin)",
)
async def remove(centre_id: str, account_id: str, engine: Engine, principal: Principal = TeamAdmin) -> Response:
    platform = _may_manage(principal, centre_id)
    async with engine.begin() as conn:
        await staff.remove(conn, centre_id, account_id, principal.account_id, platform_admin=platform)
    return Response(status_code=204)


@router.post(
    "/centres/{centre_id}/seat-requests",
    status_code=201,
    summary="Ask the platform admin for more seats (the centre's admins)",
)
async def request_seats(
    centre_id: str,
    body: schemas.SeatRequestIn,
    engine: Engine,
    principal: Principal = Depends(require_roles(Role.CENTRE_ADMIN)),
) -> dict:
    _may_manage(principal, centre_id)
    async with engine.begin() as conn:
        request_id = await staff.request_seats(conn, centre_id, body.seats, body.note, principal.account_id)
    return {"request_id": request_id, "seats": body.seats}


@router.get(
    "/centres/seat-requests",
    response_model=list[schemas.SeatRequest],
    summary="Requests for more seats, newest first (admin)",
)
async def list_seat_requests(engine: Engine, principal: Principal = Depends(require_roles(Role.ADMIN))):
    async with engine.connect() as conn:
        rows = await queries.seat_requests_newest(conn)
        return [
            schemas.SeatRequest(
                request_id=r.request_id,
                centre_id=r.centre_id,
                centre_name=r.name,
                seats=r.seats,
                current_seats=r.current_seats,
                note=r.note,
                requested_by=r.requested_by,
                requested_at=r.requested_at,
            )
            for r in rows
        ]


@router.get("/me/centres", response_model=list[schemas.MyCentre], summary="The centres the caller works for")
async def my_centres(principal: Caller, engine: Engine):
    async with engine.connect() as conn:
        return [
            schemas.MyCentre(centre_id=c.centre_id, name=c.name, role=c.role)
            for c in await staff.joined_centres(conn, principal.account_id)
        ]


@router.post(
    "/auth/invitations/preview",
    response_model=schemas.InvitationPreview,
    summary="What an invitation link offers (public, with the link's token; 422 if no longer valid)",
)
async def preview(body: schemas.InvitationToken, engine: Engine):
    async with engine.begin() as conn:
        found = await auth.invitation(conn, body.token, cases.now())
    return schemas.InvitationPreview(**{k: v for k, v in found.items() if k != "account_id"})


@router.post(
    "/auth/invitations/accept",
    response_model=schemas.Joined,
    summary="Accept an invitation (public, with the link's token); sets the password if there is none yet",
)
async def accept(body: schemas.InvitationAcceptance, engine: Engine):
    async with engine.begin() as conn:
        return await auth.accept_invitation(conn, body.token, body.password, cases.now())


@router.post(
    "/auth/centre",
    response_model=schemas.TokenResponse,
    summary="Act for another of the caller's centres: rotates the refresh token (public, with it)",
)
async def switch_centre(body: schemas.CentreSwitch, engine: Engine, issuer: Issuer, config: Config):
    tokens = await auth.refresh(engine, issuer, config, body.refresh_token, cases.now(), centre_id=body.centre_id)
    return tokens.body()
