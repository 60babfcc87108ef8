"""Request and response bodies of matching's HTTP API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_events.contexts.matching import MatchExplanation
from teilhabe_events.contexts.orders import OneTimeSchedule, RecurringSchedule, Schedule
from teilhabe_kit import postcodes
from teilhabe_kit.localtime import today as local_today
from teilhabe_kit.problems import Unprocessable


class DraftTerms(BaseModel):
    """The terms of a draft order, as the order wizard has them (place or postcode)."""

    model_config = ConfigDict(extra="forbid")

    schedule: Schedule
    activities: list[Activity] = Field(min_length=1, max_length=len(Activity))
    traits: list[Trait] = Field(default=[], max_length=len(Trait))
    place: CoarsePlace | None = None
    postcode: str | None = Field(default=None, pattern=r"^\d{5}$")
    max_distance_km: float = Field(gt=0, le=200)

    def checked(self) -> tuple[float, float]:
        """Check the rules a schema cannot express; returns the coordinates of the place."""
        today = local_today()
        s = self.schedule
        if isinstance(s, OneTimeSchedule):
            if s.end <= s.start:
                raise Unprocessable("Das Ende muss nach dem Beginn liegen.", field="schedule.end")
            if s.date < today:
                raise Unprocessable("Das Datum liegt in der Vergangenheit.", field="schedule.date")
        elif isinstance(s, RecurringSchedule):
            if s.end_date is not None and s.end_date < s.start_date:
                raise Unprocessable("Das Enddatum liegt vor dem Beginn.", field="schedule.end_date")
        if (self.place is None) == (self.postcode is None):
            raise Unprocessable("Bitte geben Sie entweder den Ort oder die Postleitzahl an.", field="place")
        if self.place is not None:
            return self.place.lat, self.place.lon
        found = postcodes.lookup(self.postcode or "")
        if found is None:
            raise Unprocessable("Diese Postleitzahl kennen wir nicht.", field="postcode")
        return found


class CandidateCount(BaseModel):
    count: int


class OrderSummary(BaseModel):
    order_id: str
    revision: int
    kind: str
    schedule: dict
    activities: list[str]
    traits: list[str]
    place: CoarsePlace
    transport_needed: bool


class RequestItem(BaseModel):
    request_id: str
    sent_at: datetime
    answered: bool
    explanation: MatchExplanation
    order: OrderSummary


class RequestList(BaseModel):
    items: list[RequestItem]
    total: int


class Mismatch(BaseModel):
    code: str
    message: str


class FreeOrder(BaseModel):
    order: OrderSummary
    distance_km: float
    mismatches: list[Mismatch]
    missing_activities: list[str]
    missing_traits: list[str]


class FreeOrderList(BaseModel):
    items: list[FreeOrder]
    total: int


class ProviderCandidate(BaseModel):
    assistant_id: str
    rank: int
    score: float
    requested: bool
    answered: bool
    explanation: MatchExplanation


class ProviderCandidateList(BaseModel):
    order_id: str
    revision: int
    items: list[ProviderCandidate]
