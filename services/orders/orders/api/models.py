"""Request and response models of the orders API."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from orders.domain.state import OfferStatus, OrderStatus
from orders.domain.terms import ScheduleIn
from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_events.contexts.orders import OfferKind, Schedule

T = TypeVar("T")


class TermsIn(BaseModel):
    """What the seeker asks for. `description` is their introduction (personal, stored sealed)."""

    model_config = ConfigDict(extra="forbid")

    schedule: ScheduleIn
    activities: list[Activity] = Field(min_length=1, max_length=len(Activity))
    traits: list[Trait] = Field(default=[], max_length=len(Trait))
    postcode: str = Field(pattern=r"^\d{5}$", description="German postcode of the place")
    max_distance_km: float = Field(default=25, gt=0, le=200)
    transport_needed: bool = False
    description: str | None = Field(default=None, max_length=2000)


class OrderIn(TermsIn):
    seeker_id: str | None = Field(
        default=None,
        max_length=200,
        description="whose order: default the caller (seeker); required for guardians and coordinators",
    )


class OfferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_request: bool = Field(default=False, description="answer to an availability request, else a free order")
    kind: OfferKind | None = Field(
        default=None, description="default: assistant for assistants, provider for coordinators"
    )


class ProposalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assistant_id: str = Field(min_length=1, max_length=200)


class OfferOut(BaseModel):
    offer_id: str
    order_id: str
    kind: OfferKind
    status: OfferStatus
    assistant_id: str | None
    organisation_id: str | None
    from_request: bool
    created_at: datetime
    updated_at: datetime


class OfferListItem(OfferOut):
    order_status: OrderStatus


class OrderOut(BaseModel):
    order_id: str
    seeker_id: str
    created_by: str
    status: OrderStatus
    kind: str
    revision: int = Field(description="0 for a draft, 1 when published, +1 per change after that")
    version: int = Field(description="stream version: send it as If-Match to change the order")
    schedule: Schedule
    activities: list[Activity]
    traits: list[Trait]
    postcode: str
    place: CoarsePlace
    max_distance_km: float
    transport_needed: bool
    open_offers: int
    awarded_offer_id: str | None
    contract_id: str | None
    created_at: datetime
    updated_at: datetime


class OrderDetail(OrderOut):
    description: str | None = Field(description="the seeker's introduction; None when empty or erased")
    offers: list[OfferOut] = Field(description="all offers for the seeker; assistants and coordinators see their own")


class Created(BaseModel):
    order_id: str
    status: OrderStatus
    version: int


class OfferCreated(BaseModel):
    offer_id: str
    order_id: str
    status: OfferStatus


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int
