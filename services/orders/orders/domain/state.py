"""The state of one order (with its offers), folded from its events."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from orders.domain.events import Event, OrderDetailsSet
from teilhabe_events.contexts.orders import (
    AssistantProposed,
    AwardEnded,
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


class OrderStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    AWARDED = "awarded"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"


class OfferStatus(StrEnum):
    SUBMITTED = "submitted"
    """An assistant's or provider's interest; the seeker may award (assistant) or send a request (provider)."""
    REQUESTED = "requested"
    """Provider offer: the seeker asked the coordinator to propose an assistant."""
    PROPOSED = "proposed"
    """Provider offer: the coordinator proposed an assistant; the seeker may award."""
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ENDED = "ended"
    """The award on this offer ended without a contract."""


OPEN_OFFER = frozenset({OfferStatus.SUBMITTED, OfferStatus.REQUESTED, OfferStatus.PROPOSED})
OPEN_ORDER = frozenset({OrderStatus.DRAFT, OrderStatus.PUBLISHED, OrderStatus.AWARDED})


@dataclass(frozen=True)
class Offer:
    offer_id: str
    kind: OfferKind
    status: OfferStatus
    submitted_by: str
    from_request: bool
    assistant_id: str | None = None
    organisation_id: str | None = None


@dataclass(frozen=True)
class Order:
    order_id: str
    seeker_id: str
    created_by: str
    status: OrderStatus = OrderStatus.DRAFT
    deleted: bool = False
    revision: int = 0
    """How often the order was released (OrderPublished = 1, each OrderChanged + 1)."""
    details: OrderDetailsSet | None = None
    offers: dict[str, Offer] = field(default_factory=dict)
    awarded_offer_id: str | None = None
    contract_id: str | None = None

    def offer(self, offer_id: str) -> Offer | None:
        return self.offers.get(offer_id)


def _offer(state: Order, offer_id: str, **changes) -> Order:
    offers = dict(state.offers)
    offers[offer_id] = replace(offers[offer_id], **changes)
    return replace(state, offers=offers)


def evolve(state: Order | None, event: Event, order_id: str) -> Order:
    """The state after `event` (the stream's first event is always OrderDrafted)."""
    if isinstance(event, OrderDrafted):
        return Order(order_id=order_id, seeker_id=event.seeker_id, created_by=event.created_by)
    assert state is not None, f"{type(event).__name__} before OrderDrafted"
    match event:
        case OrderDetailsSet():
            return replace(state, details=event)
        case OrderPublished() | OrderChanged():
            return replace(
                state,
                status=OrderStatus.PUBLISHED if state.status == OrderStatus.DRAFT else state.status,
                revision=event.revision,
            )
        case OrderWithdrawn():
            return replace(state, status=OrderStatus.WITHDRAWN, deleted=event.deleted)
        case OfferSubmitted():
            offers = dict(state.offers)
            offers[event.offer_id] = Offer(
                offer_id=event.offer_id,
                kind=event.kind,
                status=OfferStatus.SUBMITTED,
                submitted_by=event.submitted_by,
                from_request=event.from_request,
                assistant_id=event.assistant_id,
                organisation_id=event.organisation_id,
            )
            return replace(state, offers=offers)
        case OfferWithdrawn():
            return _offer(state, event.offer_id, status=OfferStatus.WITHDRAWN)
        case OfferDeclined():
            return _offer(state, event.offer_id, status=OfferStatus.DECLINED)
        case ProviderRequestSent():
            return _offer(state, event.offer_id, status=OfferStatus.REQUESTED)
        case AssistantProposed():
            return _offer(state, event.offer_id, status=OfferStatus.PROPOSED, assistant_id=event.assistant_id)
        case OfferAccepted():
            state = _offer(
                state,
                event.offer_id,
                status=OfferStatus.ACCEPTED,
                assistant_id=event.assistant_id,
                organisation_id=event.provider_id,
            )
            return replace(state, status=OrderStatus.AWARDED, awarded_offer_id=event.offer_id)
        case AwardEnded():
            state = _offer(state, event.offer_id, status=OfferStatus.ENDED)
            reopened = OrderStatus.PUBLISHED if state.status == OrderStatus.AWARDED else state.status
            return replace(state, status=reopened, awarded_offer_id=None)
        case OrderFulfilled():
            return replace(state, status=OrderStatus.FULFILLED, contract_id=event.contract_id)
    raise ValueError(f"unknown order event {type(event).__name__}")
