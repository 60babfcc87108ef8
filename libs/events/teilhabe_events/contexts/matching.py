"""Public events of the matching context (topic `matching.order.v1`, stream id = order id).

Matching has no write model: these events record its decisions about one published order
(who are the candidates, who was asked, which requests are closed). Ids and facts only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import WeeklyRange
from teilhabe_events.registry import DomainEvent, registry


class _MatchingEvent(DomainEvent):
    service: ClassVar[str] = "matching"
    stream_type: ClassVar[str] = "order"


class MatchExplanation(BaseModel):
    """Why an assistant matches an order: the activities, the covered time ranges, the distance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    activities: list[Activity]
    covered_ranges: list[WeeklyRange]
    distance_km: float = Field(ge=0)
    traits: list[Trait] = []


@registry.register
class CandidatesMatched(_MatchingEvent):
    """Candidates were computed for a revision of a published order (best first, at most 200 ids)."""

    event_type: ClassVar[str] = "CandidatesMatched"
    order_id: str
    revision: int = Field(ge=1)
    candidate_count: int = Field(ge=0)
    candidate_ids: list[str] = Field(max_length=200)
    new_request_count: int = Field(ge=0)


@registry.register
class AvailabilityRequestSent(_MatchingEvent):
    """An assistant is asked whether they can take on an order (at most once per order revision)."""

    event_type: ClassVar[str] = "AvailabilityRequestSent"
    request_id: str
    order_id: str
    revision: int = Field(ge=1)
    assistant_id: str
    organisation_id: str | None = Field(default=None, description="the assistant's provider")
    trigger: Literal["order", "assistant"] = Field(
        description="the order was (re)published, or the assistant's profile changed"
    )
    explanation: MatchExplanation


class RequestCloseReason(StrEnum):
    ORDER_WITHDRAWN = "order_withdrawn"
    ORDER_AWARDED = "order_awarded"
    ORDER_FULFILLED = "order_fulfilled"
    NO_LONGER_MATCHING = "no_longer_matching"


@registry.register
class AvailabilityRequestClosed(_MatchingEvent):
    """A request is no longer open: the order was withdrawn, awarded or fulfilled, or stopped matching."""

    event_type: ClassVar[str] = "AvailabilityRequestClosed"
    request_id: str
    order_id: str
    assistant_id: str
    reason: RequestCloseReason
