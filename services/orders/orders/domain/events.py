"""Events of an order stream: the public ones of `teilhabe_events` plus one internal event.

`OrderDetailsSet` carries the full terms and the sealed description; it stays in this service's
event store and is never published (public events derive what others need from it).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_events.contexts.orders import Schedule
from teilhabe_events.registry import DomainEvent


class OrderDetailsSet(BaseModel):
    """The terms of an order as the seeker set them (internal; description sealed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str] = "OrderDetailsSet"

    schedule: Schedule
    activities: list[Activity] = Field(min_length=1)
    traits: list[Trait] = []
    postcode: str = Field(pattern=r"^\d{5}$")
    place: CoarsePlace
    max_distance_km: float = Field(gt=0, le=200)
    transport_needed: bool = False
    description: str | None = Field(default=None, description="sealed with the seeker's key")

    def same_terms(self, other: OrderDetailsSet | None) -> bool:
        """The same public terms (what matching sees); the description may differ."""
        return other is not None and self.model_dump(exclude={"description"}) == other.model_dump(
            exclude={"description"}
        )


Event = DomainEvent | OrderDetailsSet
