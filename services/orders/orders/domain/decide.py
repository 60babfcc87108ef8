"""Decisions on one order: each takes the current state and returns the events it causes.

Pure (no I/O): who may do what is checked by the use cases; here are the rules of the order's
lifecycle (draft → published → awarded → fulfilled, withdrawn any time before a contract) and of
its offers. A decision that changes nothing returns no events.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from orders.domain.events import Event, OrderDetailsSet
from orders.domain.state import OPEN_OFFER, OPEN_ORDER, Offer, OfferStatus, Order, OrderStatus
from orders.domain.terms import still_ahead
from teilhabe_events.contexts.orders import (
    AssistantProposed,
    AwardEnded,
    AwardEndReason,
    OfferAccepted,
    OfferDeclined,
    OfferKind,
    OfferSubmitted,
    OfferWithdrawn,
    OrderChanged,
    OrderDrafted,
    OrderFulfilled,
    OrderPublished,
    OrderWithdrawn,
    ProviderRequestSent,
)
from teilhabe_kit.problems import Conflict, Unprocessable


@dataclass(frozen=True)
class Assistant:
    """What orders knows of an assistant from identity's events."""

    account_id: str
    active: bool
    organisation_id: str | None = None


def _terms(state: Order, event_type, revision: int):
    details = state.details
    assert details is not None
    return event_type(
        seeker_id=state.seeker_id,
        revision=revision,
        schedule=details.schedule,
        activities=details.activities,
        traits=details.traits,
        place=details.place,
        max_distance_km=details.max_distance_km,
        transport_needed=details.transport_needed,
    )


def _open(state: Order) -> None:
    if state.status not in OPEN_ORDER:
        raise Conflict("Dieser Auftrag ist abgeschlossen und kann nicht mehr geändert werden.")


def draft(state: Order | None, *, seeker_id: str, created_by: str, details: OrderDetailsSet) -> list[Event]:
    if state is not None:
        raise Conflict("Diesen Auftrag gibt es schon.")
    return [OrderDrafted(seeker_id=seeker_id, created_by=created_by), details]


def edit(state: Order, details: OrderDetailsSet) -> list[Event]:
    """New terms; a published order is republished with the next revision."""
    _open(state)
    if state.status == OrderStatus.AWARDED:
        raise Conflict("Der Auftrag ist vergeben. Ändern können Sie ihn erst, wenn die Vergabe endet.")
    if details == state.details:
        return []
    if state.status == OrderStatus.DRAFT or details.same_terms(state.details):
        return [details]
    return [details, _terms(replace(state, details=details), OrderChanged, state.revision + 1)]


def publish(state: Order, today: date) -> list[Event]:
    if state.status != OrderStatus.DRAFT:
        if state.status in (OrderStatus.PUBLISHED, OrderStatus.AWARDED):
            return []
        _open(state)
    assert state.details is not None
    still_ahead(state.details.schedule, today)
    return [_terms(state, OrderPublished, 1)]


def withdraw(state: Order, *, delete: bool) -> list[Event]:
    """Withdraw (kept in the history) or delete; an award ends with it. Not after a contract."""
    if state.status == OrderStatus.FULFILLED:
        raise Conflict("Für diesen Auftrag gibt es schon einen Vertrag. Bitte kündigen Sie den Vertrag.")
    if state.status == OrderStatus.WITHDRAWN:
        return [] if state.deleted or not delete else [OrderWithdrawn(seeker_id=state.seeker_id, deleted=True)]
    events: list[Event] = []
    if state.awarded_offer_id is not None:
        events.append(
            AwardEnded(
                offer_id=state.awarded_offer_id,
                seeker_id=state.seeker_id,
                reason="order_deleted" if delete else "withdrawn",
            )
        )
    return [*events, OrderWithdrawn(seeker_id=state.seeker_id, deleted=delete)]


def _offer(state: Order, offer_id: str) -> Offer:
    offer = state.offer(offer_id)
    if offer is None:
        raise Unprocessable("Dieses Angebot gibt es bei diesem Auftrag nicht.", field="offer_id")
    return offer


def _offer_open(offer: Offer) -> None:
    if offer.status not in OPEN_OFFER:
        raise Conflict("Dieses Angebot ist nicht mehr offen.")


def _active(assistant: Assistant) -> None:
    if not assistant.active:
        raise Conflict("Nur freigeschaltete Assistenzkräfte können Angebote machen.")


def submit_offer(
    state: Order,
    *,
    offer_id: str,
    submitted_by: str,
    from_request: bool,
    assistant: Assistant | None = None,
    organisation_id: str | None = None,
) -> list[Event]:
    """An assistant's offer (`assistant`) or a provider's offer (`organisation_id`), on a published order."""
    if state.status != OrderStatus.PUBLISHED:
        raise Conflict("Auf diesen Auftrag kann man sich gerade nicht melden.")
    if (assistant is None) == (organisation_id is None):
        raise ValueError("an offer comes from an assistant or from a provider")
    open_offers = [o for o in state.offers.values() if o.status in OPEN_OFFER]
    if assistant is not None:
        _active(assistant)
        if assistant.account_id == state.seeker_id:
            raise Conflict("Auf den eigenen Auftrag kann man sich nicht melden.")
        if any(o.kind == OfferKind.ASSISTANT and o.assistant_id == assistant.account_id for o in open_offers):
            raise Conflict("Sie haben sich für diesen Auftrag schon gemeldet.")
        return [
            OfferSubmitted(
                offer_id=offer_id,
                seeker_id=state.seeker_id,
                kind=OfferKind.ASSISTANT,
                assistant_id=assistant.account_id,
                organisation_id=assistant.organisation_id,
                submitted_by=submitted_by,
                from_request=from_request,
            )
        ]
    if any(o.kind == OfferKind.PROVIDER and o.organisation_id == organisation_id for o in open_offers):
        raise Conflict("Ihr Dienst hat sich für diesen Auftrag schon gemeldet.")
    return [
        OfferSubmitted(
            offer_id=offer_id,
            seeker_id=state.seeker_id,
            kind=OfferKind.PROVIDER,
            organisation_id=organisation_id,
            submitted_by=submitted_by,
            from_request=from_request,
        )
    ]


def withdraw_offer(state: Order, offer_id: str) -> list[Event]:
    offer = _offer(state, offer_id)
    if offer.status == OfferStatus.WITHDRAWN:
        return []
    if offer.status == OfferStatus.ACCEPTED:
        raise Conflict("Der Auftrag ist an Sie vergeben. Bitte sagen Sie im Vertragsgespräch ab.")
    _offer_open(offer)
    return [OfferWithdrawn(offer_id=offer_id, seeker_id=state.seeker_id)]


def decline_offer(state: Order, offer_id: str) -> list[Event]:
    offer = _offer(state, offer_id)
    if offer.status == OfferStatus.DECLINED:
        return []
    _offer_open(offer)
    return [OfferDeclined(offer_id=offer_id, seeker_id=state.seeker_id)]


def request_provider(state: Order, offer_id: str) -> list[Event]:
    """On a provider's offer the seeker asks its coordinator to propose an assistant."""
    offer = _offer(state, offer_id)
    if offer.kind != OfferKind.PROVIDER:
        raise Conflict("Eine Anfrage geht nur an einen Dienst. Einer Assistenzkraft können Sie den Auftrag erteilen.")
    if offer.status == OfferStatus.REQUESTED:
        return []
    if offer.status != OfferStatus.SUBMITTED or state.status != OrderStatus.PUBLISHED:
        raise Conflict("Dieses Angebot ist nicht mehr offen.")
    assert offer.organisation_id is not None
    return [ProviderRequestSent(offer_id=offer_id, seeker_id=state.seeker_id, organisation_id=offer.organisation_id)]


def propose_assistant(state: Order, offer_id: str, *, assistant: Assistant, proposed_by: str) -> list[Event]:
    """The coordinator names one of the provider's active assistants for a requested provider offer."""
    offer = _offer(state, offer_id)
    if offer.kind != OfferKind.PROVIDER or offer.status != OfferStatus.REQUESTED:
        raise Conflict("Für dieses Angebot wurde keine Anfrage gesendet.")
    if state.status != OrderStatus.PUBLISHED:
        raise Conflict("Dieser Auftrag ist nicht mehr offen.")
    if assistant.organisation_id != offer.organisation_id:
        raise Unprocessable("Diese Assistenzkraft gehört nicht zu Ihrem Dienst.", field="assistant_id")
    _active(assistant)
    assert offer.organisation_id is not None
    return [
        AssistantProposed(
            offer_id=offer_id,
            seeker_id=state.seeker_id,
            organisation_id=offer.organisation_id,
            assistant_id=assistant.account_id,
            proposed_by=proposed_by,
        )
    ]


def accept_offer(state: Order, offer_id: str, *, assistant: Assistant) -> list[Event]:
    """Award the order to the assistant of an offer (a binding request): submitted assistant offer or proposal."""
    offer = _offer(state, offer_id)
    if offer.status == OfferStatus.ACCEPTED:
        return []
    if state.status != OrderStatus.PUBLISHED:
        raise Conflict(
            "Dieser Auftrag ist schon vergeben."
            if state.status == OrderStatus.AWARDED
            else "Dieser Auftrag ist nicht veröffentlicht."
        )
    awardable = OfferStatus.SUBMITTED if offer.kind == OfferKind.ASSISTANT else OfferStatus.PROPOSED
    if offer.status != awardable:
        raise Conflict(
            "Dieses Angebot kann nicht vergeben werden."
            if offer.status in OPEN_OFFER
            else "Dieses Angebot ist nicht mehr offen."
        )
    if assistant.account_id != offer.assistant_id:
        raise ValueError("the assistant must be the offer's")
    _active(assistant)
    organisation_id = offer.organisation_id if offer.kind == OfferKind.PROVIDER else assistant.organisation_id
    return [
        OfferAccepted(
            offer_id=offer_id,
            seeker_id=state.seeker_id,
            assistant_id=assistant.account_id,
            provider_id=organisation_id,
        )
    ]


def end_award(state: Order, offer_id: str, reason: AwardEndReason) -> list[Event]:
    """The award on `offer_id` ended without a contract (e.g. declined after the meeting)."""
    if state.awarded_offer_id != offer_id or state.status != OrderStatus.AWARDED:
        return []
    return [AwardEnded(offer_id=offer_id, seeker_id=state.seeker_id, reason=reason)]


def fulfil(state: Order, *, offer_id: str, contract_id: str) -> list[Event]:
    """A contract for the awarded offer was ratified."""
    if state.status != OrderStatus.AWARDED or state.awarded_offer_id != offer_id:
        return []
    return [OrderFulfilled(seeker_id=state.seeker_id, contract_id=contract_id)]
