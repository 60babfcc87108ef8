"""Use cases on centres: who may do it, load, decide, commit (in the caller's transaction)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from centres.app import access
from centres.app.streams import Tx, commit, expect_version, load_existing
from centres.domain import decide
from centres.domain.state import Centre
from teilhabe_events.centre_catalogue import CentreFunction
from teilhabe_events.contexts.centres import CentreProfile
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal


async def record_interest(tx: Tx, principal: Principal, *, name: str, postcode: str) -> tuple[str, int]:
    """A new centre (its id is identity's organisation id); returns its id and stream version."""
    access.require_platform_admin(principal)
    centre_id = str(uuid.uuid4())
    events = decide.record_interest(None, name=name, postcode=postcode, recorded_by=principal.account_id)
    _, version = await commit(tx, centre_id, None, 0, events, actor_id=principal.account_id)
    return centre_id, version


async def read(tx: Tx, principal: Principal, centre_id: str) -> tuple[Centre, int]:
    access.require_reader(principal, centre_id)
    return await load_existing(tx, centre_id)


async def sign_agreement(
    tx: Tx, principal: Principal, centre_id: str, *, version: str, signed_on: date, signatory: str, today: date
) -> None:
    access.require_onboarding(principal, centre_id)
    state, stream_version = await load_existing(tx, centre_id)
    key = f"centre-signatory:{centre_id}"
    sealed = await sealing.seal(tx.conn, key, signatory.strip())
    assert sealed is not None
    events = decide.sign_agreement(
        state, version=version, signed_on=signed_on, signatory_key=key, signatory=sealed, today=today
    )
    await commit(tx, centre_id, state, stream_version, events, actor_id=principal.account_id)


async def set_functions(tx: Tx, principal: Principal, centre_id: str, functions: list[CentreFunction]) -> None:
    access.require_onboarding(principal, centre_id)
    state, version = await load_existing(tx, centre_id)
    await commit(tx, centre_id, state, version, decide.set_functions(state, functions), actor_id=principal.account_id)


async def set_seats(tx: Tx, principal: Principal, centre_id: str, seats: int) -> None:
    access.require_onboarding(principal, centre_id)
    state, version = await load_existing(tx, centre_id)
    await commit(tx, centre_id, state, version, decide.set_seats(state, seats), actor_id=principal.account_id)


async def change_profile(
    tx: Tx, principal: Principal, centre_id: str, profile: CentreProfile, if_match: int | None
) -> None:
    access.require_manager(principal, centre_id)
    state, version = await load_existing(tx, centre_id)
    expect_version(version, if_match)
    await commit(tx, centre_id, state, version, decide.change_profile(state, profile), actor_id=principal.account_id)


async def set_listing(tx: Tx, principal: Principal, centre_id: str, *, listed: bool) -> None:
    access.require_manager(principal, centre_id)
    state, version = await load_existing(tx, centre_id)
    by: Literal["platform", "centre"] = "platform" if access.platform_admin(principal) else "centre"
    events = decide.list_again(state) if listed else decide.delist(state, by)
    await commit(tx, centre_id, state, version, events, actor_id=principal.account_id)


async def signatory(tx: Tx, principal: Principal, state: Centre) -> str | None:
    """The signatory's name for the platform admin and the centre's admins, else None."""
    agreement = state.agreement
    if agreement is None or agreement.signatory_key is None:
        return None
    if not (access.platform_admin(principal) or access.admin_of(principal, state.centre_id)):
        return None
    return await sealing.unseal(tx.conn, agreement.signatory_key, agreement.signatory)
