"""Own profile and account views: owners change their profile; every change is an event."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter

from identity.api import schemas
from identity.api.deps import Config, is_admin, owner_only, visible_account
from identity.api.views import account_out
from identity.app import accounts as cases
from identity.app import auth
from identity.domain import account as domain
from identity.domain import events as e
from identity.readmodels import queries
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit.api import Caller, Engine
from teilhabe_kit.localtime import local_date
from teilhabe_kit.postcodes import lookup
from teilhabe_kit.problems import NotFound, Unprocessable

router = APIRouter(prefix="/api/v1/identity", tags=["accounts"])


@router.get("/me", response_model=schemas.AccountOut, summary="The caller's own account (signed in)")
async def me(principal: Caller, engine: Engine):
    async with engine.connect() as conn:
        return account_out(await visible_account(conn, principal, principal.account_id), principal)


@router.get(
    "/accounts/{account_id}",
    response_model=schemas.AccountOut,
    summary="One account: admins, the person, their guardian, or a coordinator of the assistant's provider",
)
async def get_account(account_id: str, principal: Caller, engine: Engine):
    async with engine.connect() as conn:
        return account_out(await visible_account(conn, principal, account_id), principal)


@router.get(
    "/accounts/{account_id}/data-export",
    response_model=schemas.DataExport,
    summary="Everything identity keeps about the person, as JSON (the person, their guardian, admins)",
)
async def data_export(account_id: str, principal: Caller, engine: Engine):
    if not is_admin(principal):
        owner_only(principal, account_id)
    async with engine.connect() as conn:
        row = await visible_account(conn, principal, account_id)
        steps = await queries.verification_steps_of(conn, account_id)
        wards = await queries.guardianships_of(conn, account_id)
        sessions = await queries.active_sessions(conn, account_id, cases.now())
        account = account_out(row, principal)
        account.refusal_reason, account.lock_reason = row.refusal_reason, row.lock_reason
        return schemas.DataExport(
            account=account,
            verification_steps=[
                schemas.Step(step=s.step, reason=s.reason, recorded_by=s.recorded_by, recorded_at=s.recorded_at)
                for s in steps
            ],
            guardianships=[
                schemas.Guardianship(ward_id=g.ward_id, guardian_id=g.guardian_id, acts_until=g.acts_until)
                for g in wards
            ],
            centre_memberships=[
                schemas.CentreMembership(
                    centre_id=m.centre_id, role=m.role, joined=m.joined, invited_at=m.invited_at, joined_at=m.joined_at
                )
                for m in await queries.centre_memberships_of(conn, account_id)
            ],
            active_sessions=sessions,
            exported_at=cases.now(),
        )


@router.get(
    "/assistants/{account_id}/card",
    response_model=schemas.AssistantCard,
    summary="First name, introduction, activities and traits of an active assistant (signed in)",
)
async def assistant_card(account_id: str, principal: Caller, engine: Engine):
    async with engine.connect() as conn:
        row = await queries.account(conn, account_id)
    if row is None or row.role != AccountRole.ASSISTANT or row.status != "active" or row.locked or row.erase_after:
        raise NotFound("Diese Assistenz-Kraft gibt es nicht.")
    return schemas.AssistantCard(
        id=row.id,
        first_name=(row.name or "").split(" ")[0] or None,
        introduction=row.introduction,
        organisation_id=row.organisation_id,
        self_employed=row.self_employed,
        activities=row.activities,
        traits=row.traits,
        place=_coarse(row.postcode),
    )


def _coarse(postcode: str | None) -> CoarsePlace | None:
    found = lookup(postcode) if postcode else None
    return CoarsePlace.around(*found) if found else None


async def _change(engine, principal, account_id: str, event: e.Event | Callable[[str], e.Event]) -> dict:
    """Apply a profile change of the owner; `event` may depend on the account's role."""
    owner_only(principal, account_id)
    async with engine.begin() as conn:
        if callable(event):
            event = event((await visible_account(conn, principal, account_id)).role)
        if isinstance(event, e.ContactChanged):
            await cases.change_contact(conn, account_id, event, principal.account_id)
        else:
            await cases.act(conn, account_id, lambda s: domain.change_profile(s, event), principal.account_id)
    return {"account_id": account_id, "changed": event.event_type}


@router.put("/accounts/{account_id}/contact", summary="Change name, e-mail, phone, introduction (owner)")
async def change_contact(account_id: str, body: schemas.ContactIn, principal: Caller, engine: Engine) -> dict:
    if body.email is None and body.phone is None:
        raise Unprocessable("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.", field="email")
    event = e.ContactChanged(name=body.name, email=body.email, phone=body.phone, introduction=body.introduction)
    return await _change(engine, principal, account_id, event)


@router.put(
    "/accounts/{account_id}/login-name",
    summary="Change the own login name (counselors, centre admins; unique, the old name stops working at once)",
)
async def change_login_name(account_id: str, body: schemas.LoginNameIn, principal: Caller, engine: Engine) -> dict:
    owner_only(principal, account_id)
    async with engine.begin() as conn:
        await cases.change_login_name(conn, account_id, body.login_name, principal.account_id)
    return {"account_id": account_id, "login_name": body.login_name.casefold()}


@router.put("/accounts/{account_id}/activities", summary="Activities an assistant offers (owner; ActivitiesChanged)")
async def change_activities(account_id: str, body: schemas.ActivitiesIn, principal: Caller, engine: Engine) -> dict:
    return await _change(engine, principal, account_id, e.ActivitiesChanged(activities=tuple(body.activities)))


@router.put("/accounts/{account_id}/needs", summary="Support needs of a seeker (owner; sealed, never public)")
async def change_needs(account_id: str, body: schemas.ActivitiesIn, principal: Caller, engine: Engine) -> dict:
    return await _change(engine, principal, account_id, e.NeedsChanged(needs=tuple(body.activities)))


@router.put(
    "/accounts/{account_id}/ranges",
    summary="Weekly availability (assistant; AvailabilityChanged) or time windows (seeker; sealed) (owner)",
)
async def change_ranges(account_id: str, body: schemas.RangesIn, principal: Caller, engine: Engine) -> dict:
    ranges = tuple(body.ranges)

    def event(role: str) -> e.Event:
        return (
            e.RangesChanged(ranges=ranges)
            if role == AccountRole.ASSISTANT
            else e.TimeWindowsChanged(time_windows=ranges)
        )

    return await _change(engine, principal, account_id, event)


@router.put("/accounts/{account_id}/place", summary="Postcode and, for assistants, travel radius (owner; PlaceChanged)")
async def change_place(account_id: str, body: schemas.PlaceIn, principal: Caller, engine: Engine) -> dict:
    found = lookup(body.postcode)
    assert found is not None, "PlaceIn accepts only known postcodes"
    event = e.PlaceChanged(postcode=body.postcode, place=CoarsePlace.around(*found), radius_km=body.radius_km)
    return await _change(engine, principal, account_id, event)


@router.put("/accounts/{account_id}/traits", summary="Traits of an assistant (owner; TraitsChanged)")
async def change_traits(account_id: str, body: schemas.TraitsIn, principal: Caller, engine: Engine) -> dict:
    return await _change(engine, principal, account_id, e.TraitsChanged(traits=tuple(body.traits)))


@router.post(
    "/accounts/{account_id}/deletion",
    response_model=schemas.Deletion,
    summary="Mark for deletion: sign-in refused, erased after the retention period (owner or admin)",
)
async def request_deletion(account_id: str, principal: Caller, engine: Engine, config: Config):
    if not principal.has("admin"):
        owner_only(principal, account_id)
    async with engine.begin() as conn:
        erase_after = await cases.request_deletion(
            conn, account_id, config.deletion_retention_days, principal.account_id, local_date(cases.now())
        )
        await auth.end_sessions(conn, account_id, cases.now())
    return schemas.Deletion(account_id=account_id, erase_after=erase_after)
