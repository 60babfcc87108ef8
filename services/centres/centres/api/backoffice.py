"""The signed-in part of the centres API: onboarding (platform admin), self-service (centre admins),
reading (the centre's staff), audit history and regions' fallback centres.

Changing a profile accepts `If-Match: <version>` (the centre's `version` as read): a stale
version, or a concurrent change, is answered with 409. Recording an interest accepts
`Idempotency-Key`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from centres import places
from centres.api.models import (
    AgreementIn,
    AgreementOut,
    CentreListItem,
    CentreOut,
    Created,
    FunctionsIn,
    HistoryEntry,
    InterestIn,
    Page,
    ProfileIn,
    RegionFallbackIn,
    RegionOut,
    SeatsIn,
)
from centres.app import access, regions
from centres.app import centres as use
from centres.app.streams import CENTRE, STREAM, Tx
from centres.domain.completeness import missing
from centres.domain.history import history
from centres.domain.state import OnboardingStatus
from centres.readmodels import queries
from teilhabe_kit import eventstore, idempotency
from teilhabe_kit.api import Caller, engine, problems
from teilhabe_kit.auth import Principal
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.if_match import IfMatch
from teilhabe_kit.localtime import today
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix="/api/v1/centres", tags=["centres"])
PROBLEMS = problems(
    forbidden="wrong role (e.g. a counselor changing the profile)",
    not_found="no such centre, or not the caller's centre",
)


def _tx(request: Request, conn) -> Tx:
    return Tx(conn, request.app.state.settings.centres_topic)


async def _centre_out(tx: Tx, principal: Principal, centre_id: str) -> CentreOut:
    state, version = await use.read(tx, principal, centre_id)
    agreement = None
    if state.agreement:
        agreement = AgreementOut(
            version=state.agreement.version,
            signed_on=state.agreement.signed_on,
            signatory=await use.signatory(tx, principal, state),
        )
    return CentreOut(
        centre_id=state.centre_id,
        name=state.name,
        postcode=state.profile.address.postcode if state.profile else state.postcode,
        status=state.status,
        agreement=agreement,
        functions=list(state.functions),
        seats=state.seats,
        revision=state.revision,
        profile=state.profile,
        missing=missing(state.profile),
        version=version,
    )


async def _answer(
    request: Request, principal: Principal, centre_id: str, change: Callable[[Tx], Awaitable[None]]
) -> CentreOut:
    """Run `change(tx)` and answer with the centre as the caller now sees it (same transaction)."""
    async with engine(request).begin() as conn:
        tx = _tx(request, conn)
        await change(tx)
        return await _centre_out(tx, principal, centre_id)


@router.post(
    "/centres",
    status_code=201,
    response_model=Created,
    responses=PROBLEMS,
    summary="Record a centre's interest (platform admin): the centre and its id come into being",
)
async def record_interest(request: Request, body: InterestIn, principal: Caller, key: IdempotencyKey = None):
    access.require_platform_admin(principal)

    async def create(conn: AsyncConnection) -> dict:
        tx = _tx(request, conn)
        centre_id, version = await use.record_interest(tx, principal, name=body.name, postcode=body.postcode)
        return Created(centre_id=centre_id, version=version).model_dump(mode="json")

    return await idempotency.once(engine(request), f"centres.interest:{principal.account_id}", key, body, create)


@router.get(
    "/centres",
    response_model=Page[CentreListItem],
    responses=PROBLEMS,
    summary="Every centre with its onboarding status (platform admin)",
)
async def list_centres(
    request: Request,
    principal: Caller,
    status: Annotated[list[OnboardingStatus] | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of the name")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    access.require_platform_admin(principal)
    async with engine(request).connect() as conn:
        rows, total = await queries.centres(
            conn, statuses=[s.value for s in status or []], name=q, page=page, page_size=page_size
        )
    return {"items": [dict(r._mapping) for r in rows], "total": total, "page": page, "page_size": page_size}


@router.get(
    "/centres/{centre_id}",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="One centre with onboarding, functions, seats and profile (platform admin, the centre's staff)",
)
async def get_centre(request: Request, centre_id: str, principal: Caller):
    async with engine(request).connect() as conn:
        return await _centre_out(_tx(request, conn), principal, centre_id)


@router.put(
    "/centres/{centre_id}/agreement",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="Record the signed data-processing agreement (platform admin; the signatory stays sealed)",
)
async def sign_agreement(request: Request, centre_id: str, body: AgreementIn, principal: Caller):
    return await _answer(
        request,
        principal,
        centre_id,
        lambda tx: use.sign_agreement(
            tx,
            principal,
            centre_id,
            version=body.version,
            signed_on=body.signed_on,
            signatory=body.signatory,
            today=today(),
        ),
    )


@router.put(
    "/centres/{centre_id}/functions",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="Switch functions on or off: directory (always), appointments, online counseling (platform admin)",
)
async def set_functions(request: Request, centre_id: str, body: FunctionsIn, principal: Caller):
    return await _answer(
        request, principal, centre_id, lambda tx: use.set_functions(tx, principal, centre_id, body.functions)
    )


@router.put(
    "/centres/{centre_id}/seats",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="Set the number of staff logins (licences) of the centre (platform admin)",
)
async def set_seats(request: Request, centre_id: str, body: SeatsIn, principal: Caller):
    return await _answer(request, principal, centre_id, lambda tx: use.set_seats(tx, principal, centre_id, body.seats))


@router.put(
    "/centres/{centre_id}/profile",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="Change the public profile (the centre's admins, platform admin); live in the finder within a second",
)
async def change_profile(request: Request, centre_id: str, body: ProfileIn, principal: Caller, if_match: IfMatch):
    profile = body.profile()
    return await _answer(
        request, principal, centre_id, lambda tx: use.change_profile(tx, principal, centre_id, profile, if_match)
    )


@router.post(
    "/centres/{centre_id}/delist",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="Take the centre out of the public finder (the centre's admins, platform admin)",
)
async def delist(request: Request, centre_id: str, principal: Caller):
    return await _answer(
        request, principal, centre_id, lambda tx: use.set_listing(tx, principal, centre_id, listed=False)
    )


@router.post(
    "/centres/{centre_id}/list",
    response_model=CentreOut,
    responses=PROBLEMS,
    summary="Show the centre in the finder again (agreement signed, profile complete)",
)
async def list_again(request: Request, centre_id: str, principal: Caller):
    return await _answer(
        request, principal, centre_id, lambda tx: use.set_listing(tx, principal, centre_id, listed=True)
    )


@router.get(
    "/centres/{centre_id}/history",
    response_model=list[HistoryEntry],
    responses=PROBLEMS,
    summary="Who changed what when, newest first (the centre's admins, platform admin)",
)
async def get_history(request: Request, centre_id: str, principal: Caller):
    access.require_manager(principal, centre_id)
    async with engine(request).connect() as conn:
        stored = await eventstore.read_stream(conn, STREAM, centre_id)
    if not stored:
        raise NotFound("Diese Beratungsstelle gibt es nicht.")
    entries = history((e.stream_version, e.occurred_at, e.actor_id, CENTRE.decode(e)) for e in stored)
    return [entry.__dict__ for entry in reversed(entries)]


@router.get("/regions", response_model=list[RegionOut], responses=PROBLEMS, summary="States and their fallback centres")
async def list_regions(request: Request, principal: Caller):
    access.require_platform_admin(principal)
    async with engine(request).connect() as conn:
        chosen = await regions.fallbacks(_tx(request, conn))
    return [
        {"region": code, "name": name, "fallback_centre_id": chosen.get(code)} for code, name in places.STATES.items()
    ]


@router.put(
    "/regions/{region}/fallback",
    response_model=RegionOut,
    responses=PROBLEMS,
    summary="Choose the centre shown where no centre covers a place of the region (platform admin)",
)
async def set_region_fallback(request: Request, region: str, body: RegionFallbackIn, principal: Caller):
    async with engine(request).begin() as conn:
        await regions.set_fallback(_tx(request, conn), principal, region, body.centre_id)
    return {"region": region, "name": places.STATES[region], "fallback_centre_id": body.centre_id}
