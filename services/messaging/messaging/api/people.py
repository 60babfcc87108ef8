"""Online status and delivery preferences (each person their own; guardians for their wards)."""

from __future__ import annotations

from fastapi import APIRouter

from messaging.api.schemas import Preferences, Status
from messaging.app import people
from teilhabe_kit.api import Caller, Engine
from teilhabe_kit.problems import Forbidden

router = APIRouter(prefix="/api/v1/messaging", tags=["people"])


def _own(principal, person_id: str | None) -> str:
    person = person_id or principal.account_id
    if not principal.may_act_for(person):
        raise Forbidden("Das dürfen nur die Person selbst und ihre gesetzliche Vertretung.")
    return person


@router.put("/status", summary="Set the own online status: online, not_online, not_reachable")
async def set_status(body: Status, engine: Engine, principal: Caller) -> dict:
    async with engine.begin() as conn:
        await people.set_status(conn, principal.account_id, body.status)
        return await people.status_of(conn, principal, principal.account_id)


@router.get("/status/{person_id}", summary="A person's online status (self, guardian, or sharing a conversation)")
async def get_status(person_id: str, engine: Engine, principal: Caller) -> dict:
    async with engine.connect() as conn:
        return await people.status_of(conn, principal, person_id)


@router.get("/preferences", summary="How the person is notified (own, or ?person_id= of a ward)")
async def get_preferences(engine: Engine, principal: Caller, person_id: str | None = None) -> dict:
    async with engine.connect() as conn:
        return await people.get_preferences(conn, _own(principal, person_id))


@router.put("/preferences", summary="Choose e-mail/SMS and quiet hours (Europe/Berlin); in-app is always on")
async def put_preferences(body: Preferences, engine: Engine, principal: Caller, person_id: str | None = None) -> dict:
    async with engine.begin() as conn:
        return await people.set_preferences(
            conn, _own(principal, person_id), body.email, body.sms, body.quiet_from, body.quiet_until
        )
