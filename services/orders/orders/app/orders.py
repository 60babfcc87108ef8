"""Use cases on orders and offers: who may do it, load, decide, commit (in the caller's transaction).

Who may do what:
- The seeker owns the order; a guardian acts for a ward (`acting_for`); both "manage" it (edit,
  publish, withdraw, delete) and alone decide on offers (award, send a request, decline).
- A coordinator may draft an order for an active seeker (the seeker's id is required and the
  coordinator is recorded as `created_by`); the coordinator then manages that order with the
  seeker but never decides on offers (their own provider may be among them).
- Active assistants and coordinators see published and awarded orders ("market" view: terms and
  the seeker's introduction text, only their own offers); drafts and other orders are not found.
- An active assistant offers for themselves; a coordinator offers for their provider (token `org`)
  and proposes one of its active assistants after the seeker sent a request.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.app.streams import Tx, commit, expect_version, load, load_existing
from orders.domain import decide
from orders.domain.events import OrderDetailsSet
from orders.domain.state import Order, OrderStatus
from orders.domain.terms import ScheduleIn, schedule_of
from orders.readmodels import directory
from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_events.contexts.orders import OfferKind
from teilhabe_kit import postcodes, sealing
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable

MARKET = frozenset({OrderStatus.PUBLISHED.value, OrderStatus.AWARDED.value})


def owns(principal: Principal, seeker_id: str) -> bool:
    return principal.has(Role.SEEKER, Role.GUARDIAN) and principal.may_act_for(seeker_id)


def manages(principal: Principal, seeker_id: str, created_by: str) -> bool:
    return owns(principal, seeker_id) or (principal.has(Role.COORDINATOR) and created_by == principal.account_id)


async def in_market(conn: AsyncConnection, principal: Principal) -> bool:
    """Active assistants and coordinators of a provider see published orders."""
    if principal.has(Role.COORDINATOR) and principal.organisation_id:
        return True
    return principal.has(Role.ASSISTANT) and (await directory.assistant(conn, principal.account_id)).active


async def _refuse(tx: Tx, principal: Principal, state: Order) -> None:
    """403 for those who may see the order, 404 for everybody else (existence is not revealed)."""
    if state.status.value in MARKET and not state.deleted and await in_market(tx.conn, principal):
        raise Forbidden("Das dürfen nur die Suchenden selbst (oder ihre Betreuung).")
    raise NotFound("Diesen Auftrag gibt es nicht.")


async def _managed(tx, principal, order_id, if_match) -> tuple[Order, int]:
    state, version = await load_existing(tx, order_id)
    if not manages(principal, state.seeker_id, state.created_by):
        await _refuse(tx, principal, state)
    expect_version(version, if_match)
    return state, version


async def _owned(tx, principal, order_id, if_match) -> tuple[Order, int]:
    state, version = await load_existing(tx, order_id)
    if not owns(principal, state.seeker_id):
        await _refuse(tx, principal, state)
    expect_version(version, if_match)
    return state, version


async def details_of(
    tx: Tx,
    seeker_id: str,
    *,
    schedule: ScheduleIn,
    activities: list[Activity],
    traits: list[Trait],
    postcode: str,
    max_distance_km: float,
    transport_needed: bool,
    description: str | None,
    today: date,
) -> OrderDetailsSet:
    """Checked terms with the place of the postcode and the description sealed with the seeker's key."""
    checked = schedule_of(schedule, today)
    found = postcodes.lookup(postcode)
    if found is None:
        raise Unprocessable("Diese Postleitzahl kennen wir nicht.", field="postcode")
    text = (description or "").strip() or None
    try:
        sealed = await sealing.seal(tx.conn, seeker_id, text)
    except sealing.PersonErased:
        raise Conflict("Dieses Konto wurde gelöscht.") from None
    return OrderDetailsSet(
        schedule=checked,
        activities=list(dict.fromkeys(activities)),
        traits=list(dict.fromkeys(traits)),
        postcode=postcode,
        place=CoarsePlace.around(*found),
        max_distance_km=max_distance_km,
        transport_needed=transport_needed,
        description=sealed,
    )


def seeker_for(principal: Principal, seeker_id: str | None) -> str:
    """Whose order a new one is; 403/422 when the caller may not create it for that person."""
    if principal.has(Role.SEEKER) and seeker_id in (None, principal.account_id):
        return principal.account_id
    if principal.has(Role.GUARDIAN, Role.COORDINATOR):
        if seeker_id is None:
            raise Unprocessable("Bitte geben Sie an, für wen der Auftrag ist.", field="seeker_id")
        if principal.has(Role.COORDINATOR) or principal.may_act_for(seeker_id):
            return seeker_id
    raise Forbidden("Sie dürfen für diese Person keinen Auftrag anlegen.")


async def create(tx: Tx, principal: Principal, seeker_id: str, details: OrderDetailsSet) -> tuple[str, int]:
    """A new draft; returns its id and stream version."""
    if (
        principal.has(Role.COORDINATOR)
        and not owns(principal, seeker_id)
        and not await directory.is_active_seeker(tx.conn, seeker_id)
    ):
        raise Unprocessable("Diese Person ist nicht als suchende Person freigeschaltet.", field="seeker_id")
    order_id = str(uuid.uuid4())
    events = decide.draft(None, seeker_id=seeker_id, created_by=principal.account_id, details=details)
    _, version = await commit(tx, order_id, None, 0, events, actor_id=principal.account_id)
    return order_id, version


async def edit(tx, principal, order_id: str, details_for, if_match: int | None) -> None:
    """`details_for(seeker_id)` builds the checked details (sealed with the order's seeker's key)."""
    state, version = await _managed(tx, principal, order_id, if_match)
    details = await details_for(state.seeker_id)
    current = state.details.description if state.details else None
    if await sealing.unseal(tx.conn, state.seeker_id, details.description) == await sealing.unseal(
        tx.conn, state.seeker_id, current
    ):
        details = details.model_copy(update={"description": current})  # same text: keep the sealed value
    events = decide.edit(state, details)
    await commit(tx, order_id, state, version, events, actor_id=principal.account_id)


async def publish(tx, principal, order_id: str, if_match: int | None, today: date) -> None:
    state, version = await _managed(tx, principal, order_id, if_match)
    await commit(tx, order_id, state, version, decide.publish(state, today), actor_id=principal.account_id)


async def withdraw(tx, principal, order_id: str, if_match: int | None, *, delete: bool) -> None:
    state, version = await _managed(tx, principal, order_id, if_match)
    await commit(tx, order_id, state, version, decide.withdraw(state, delete=delete), actor_id=principal.account_id)


async def _market_order(tx, principal, order_id) -> tuple[Order, int]:
    """An order the caller sees in the market (an assistant or coordinator), else 404."""
    state, version = await load(tx, order_id)
    if state is None or state.deleted or not await in_market(tx.conn, principal):
        raise NotFound("Diesen Auftrag gibt es nicht.")
    if state.status == OrderStatus.DRAFT:
        raise NotFound("Diesen Auftrag gibt es nicht.")
    return state, version


async def submit_offer(tx, principal: Principal, order_id: str, *, kind: OfferKind | None, from_request: bool) -> str:
    kind = kind or (OfferKind.ASSISTANT if principal.has(Role.ASSISTANT) else OfferKind.PROVIDER)
    if kind == OfferKind.ASSISTANT and not principal.has(Role.ASSISTANT):
        raise Forbidden("Nur Assistenzkräfte können sich selbst anbieten.")
    if kind == OfferKind.PROVIDER and not (principal.has(Role.COORDINATOR) and principal.organisation_id):
        raise Forbidden("Nur die Koordination eines Dienstes kann für den Dienst anbieten.")
    assistant = await directory.assistant(tx.conn, principal.account_id) if kind == OfferKind.ASSISTANT else None
    if assistant is not None and not assistant.active:
        raise Forbidden("Nur freigeschaltete Assistenzkräfte können Angebote machen.")
    state, version = await _market_order(tx, principal, order_id)
    offer_id = str(uuid.uuid4())
    events = decide.submit_offer(
        state,
        offer_id=offer_id,
        submitted_by=principal.account_id,
        from_request=from_request,
        assistant=assistant,
        organisation_id=principal.organisation_id if assistant is None else None,
    )
    await commit(tx, order_id, state, version, events, actor_id=principal.account_id)
    return offer_id


def _offer_or_404(state: Order, offer_id: str):
    offer = state.offer(offer_id)
    if offer is None:
        raise NotFound("Dieses Angebot gibt es nicht.")
    return offer


async def withdraw_offer(tx, principal: Principal, order_id: str, offer_id: str) -> None:
    state, version = await load_existing(tx, order_id)
    offer = state.offer(offer_id)
    mine = offer is not None and (
        (
            offer.kind == OfferKind.ASSISTANT
            and offer.assistant_id == principal.account_id
            and principal.has(Role.ASSISTANT)
        )
        or (
            offer.kind == OfferKind.PROVIDER
            and principal.has(Role.COORDINATOR)
            and offer.organisation_id == principal.organisation_id
        )
    )
    if not mine:
        raise NotFound("Dieses Angebot gibt es nicht.")
    await commit(tx, order_id, state, version, decide.withdraw_offer(state, offer_id), actor_id=principal.account_id)


async def decide_on_offer(
    tx, principal: Principal, order_id: str, offer_id: str, action: str, if_match: int | None
) -> None:
    """The seeker's answer to an offer: `accept` (award), `provider-request` or `decline`."""
    state, version = await _owned(tx, principal, order_id, if_match)
    offer = _offer_or_404(state, offer_id)
    if action == "accept":
        if offer.assistant_id is None:
            raise Conflict(
                "Bei diesem Dienst wurde noch keine Assistenzkraft vorgeschlagen. Senden Sie zuerst eine Anfrage."
            )
        events = decide.accept_offer(state, offer_id, assistant=await directory.assistant(tx.conn, offer.assistant_id))
    elif action == "provider-request":
        events = decide.request_provider(state, offer_id)
    else:
        events = decide.decline_offer(state, offer_id)
    await commit(tx, order_id, state, version, events, actor_id=principal.account_id)


async def propose(tx, principal: Principal, order_id: str, offer_id: str, assistant_id: str) -> None:
    state, version = await load_existing(tx, order_id)
    offer = state.offer(offer_id)
    if offer is None or not (
        principal.has(Role.COORDINATOR)
        and offer.organisation_id == principal.organisation_id
        and offer.kind == OfferKind.PROVIDER
    ):
        raise NotFound("Dieses Angebot gibt es nicht.")
    events = decide.propose_assistant(
        state, offer_id, assistant=await directory.assistant(tx.conn, assistant_id), proposed_by=principal.account_id
    )
    await commit(tx, order_id, state, version, events, actor_id=principal.account_id)
