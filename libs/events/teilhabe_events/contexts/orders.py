"""Public events of the orders context (topic `orders.order.v1`, stream id = order id).

Offers live in their order's stream so that one order's history stays in order on one partition.
The order's description is personal (free text) and stays sealed in the orders service.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.registry import DomainEvent, registry


class OneTimeSchedule(BaseModel):
    """One appointment on `date` from `start` to `end` (Europe/Berlin)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["one_time"] = "one_time"
    date: date
    start: time
    end: time


class Interval(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class RecurringSchedule(BaseModel):
    """`appointments_per_interval` appointments per interval within the weekly `ranges`."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["recurring"] = "recurring"
    start_date: date
    interval: Interval
    appointments_per_interval: int = Field(ge=1, le=14)
    ranges: list[WeeklyRange] = Field(min_length=1)
    end_date: date | None = None


Schedule = Annotated[OneTimeSchedule | RecurringSchedule, Field(discriminator="kind")]


class OfferKind(StrEnum):
    ASSISTANT = "assistant"
    PROVIDER = "provider"


class _OrderEvent(DomainEvent):
    service: ClassVar[str] = "orders"
    stream_type: ClassVar[str] = "order"


class _OrderTerms(_OrderEvent):
    """What matching needs to know of a published order (revision counts republications)."""

    seeker_id: str
    revision: int = Field(ge=1)
    schedule: Schedule
    activities: list[Activity] = Field(min_length=1)
    traits: list[Trait] = []
    place: CoarsePlace
    max_distance_km: float = Field(gt=0, le=200)
    transport_needed: bool = False


@registry.register
class OrderDrafted(_OrderEvent):
    event_type: ClassVar[str] = "OrderDrafted"
    seeker_id: str
    created_by: str


@registry.register
class OrderPublished(_OrderTerms):
    """The order is released: matching computes candidates for this revision."""

    event_type: ClassVar[str] = "OrderPublished"


@registry.register
class OrderChanged(_OrderTerms):
    """A published order was edited and is republished with a new revision."""

    event_type: ClassVar[str] = "OrderChanged"


@registry.register
class OrderWithdrawn(_OrderEvent):
    """Withdrawn or deleted before a contract; an award it had ends with it."""

    event_type: ClassVar[str] = "OrderWithdrawn"
    seeker_id: str
    deleted: bool = False


@registry.register
class OfferSubmitted(_OrderEvent):
    """An assistant (or a provider's coordinator) is interested; not yet an award."""

    event_type: ClassVar[str] = "OfferSubmitted"
    offer_id: str
    seeker_id: str
    kind: OfferKind
    assistant_id: str | None = None
    organisation_id: str | None = None
    submitted_by: str
    from_request: bool = Field(description="answer to an availability request, else a free order")


@registry.register
class OfferWithdrawn(_OrderEvent):
    event_type: ClassVar[str] = "OfferWithdrawn"
    offer_id: str
    seeker_id: str


@registry.register
class OfferDeclined(_OrderEvent):
    event_type: ClassVar[str] = "OfferDeclined"
    offer_id: str
    seeker_id: str


@registry.register
class ProviderRequestSent(_OrderEvent):
    """On a provider's offer the seeker asked the provider's coordinator to propose an assistant."""

    event_type: ClassVar[str] = "ProviderRequestSent"
    offer_id: str
    seeker_id: str
    organisation_id: str


@registry.register
class AssistantProposed(_OrderEvent):
    """The coordinator proposed one of the provider's assistants for a provider offer."""

    event_type: ClassVar[str] = "AssistantProposed"
    offer_id: str
    seeker_id: str
    organisation_id: str
    assistant_id: str
    proposed_by: str


@registry.register
class OfferAccepted(_OrderEvent):
    """The seeker awarded the order to an assistant (a binding request): a contract process opens.

    Version 2 names the assistant's organisation for what it is, `provider_id` (v1:
    `organisation_id`): organisations are also counseling centres and facilities now.
    """

    event_type: ClassVar[str] = "OfferAccepted"
    schema_version: ClassVar[int] = 2
    offer_id: str
    seeker_id: str
    assistant_id: str
    provider_id: str | None = Field(description="the assistant's service provider; None if self-employed")


@registry.upcaster("OfferAccepted", 1)
def _offer_accepted_v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    payload["provider_id"] = payload.pop("organisation_id", None)
    return payload


AwardEndReason = Literal["order_deleted", "declined_after_meeting", "withdrawn"]


@registry.register
class AwardEnded(_OrderEvent):
    """An award ended without a contract (order deleted, meeting declined); the order is open again."""

    event_type: ClassVar[str] = "AwardEnded"
    offer_id: str
    seeker_id: str
    reason: AwardEndReason


@registry.register
class OrderFulfilled(_OrderEvent):
    """A contract for the order was ratified."""

    event_type: ClassVar[str] = "OrderFulfilled"
    seeker_id: str
    contract_id: str
