"""What matching knows of an assistant and of an order, and how events change it (pure).

`evolve_*` take the event type, the source stream's version and the (current-schema) payload
dict; they return the new state, the same object when the event is irrelevant or already
applied (its stream version is not newer), or None when the state is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from matching.domain.time import Span, seconds_of_day

ASSISTANT = "assistant"


@dataclass(frozen=True, slots=True)
class AssistantState:
    assistant_id: str
    version: int = 0
    activities: frozenset[str] = frozenset()
    spans: tuple[Span, ...] = ()
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    traits: frozenset[str] = frozenset()
    activated: bool = False
    locked: bool = False
    deletion_requested: bool = False
    provider_id: str | None = None
    self_employed: bool = False

    @property
    def active(self) -> bool:
        """Activated (so verified), not locked, not marked for deletion."""
        return self.activated and not self.locked and not self.deletion_requested

    @property
    def attached(self) -> bool:
        """Works for a provider or on their own account."""
        return self.provider_id is not None or self.self_employed

    @property
    def eligible(self) -> bool:
        return self.active and self.attached


ASSISTANT_EVENTS = frozenset(
    {
        "AccountRegistered",
        "AccountActivated",
        "AccountRefused",
        "AccountLocked",
        "AccountUnlocked",
        "AccountDeletionRequested",
        "AccountRestored",
        "AccountErased",
        "ActivitiesChanged",
        "AvailabilityChanged",
        "PlaceChanged",
        "TraitsChanged",
        "MembershipApproved",
        "MembershipEnded",
    }
)


CREATING = frozenset({"AccountRegistered", "AccountActivated", "MembershipApproved"})


def new_assistant_record(assistant_id: str) -> dict:
    """An assistant as a row of the projection (plain values, as stored): see `assistant_state`."""
    return {
        "assistant_id": assistant_id,
        "version": 0,
        "activities": [],
        "spans": [],
        "lat": None,
        "lon": None,
        "radius_km": None,
        "traits": [],
        "activated": False,
        "locked": False,
        "deletion_requested": False,
        "provider_id": None,
        "self_employed": False,
    }


def evolve_assistant(record: dict | None, account_id: str, event_type: str, version: int, p: dict) -> dict | None:
    """Fold one identity event into an assistant's record, in place (cheap enough for rebuilds).

    Returns the record (unchanged when the event is irrelevant or already applied), a new record
    for a new assistant, or None (not an assistant, or erased). Accounts of other roles are not kept.
    """
    if event_type not in ASSISTANT_EVENTS:
        return record
    if record is None:
        if p.get("role") != ASSISTANT or event_type not in CREATING:
            return None
        record = new_assistant_record(account_id)
    elif version <= record["version"]:
        return record
    match event_type:
        case "AccountRegistered":
            record["self_employed"] = bool(p.get("self_employed"))
        case "AccountActivated":
            record["activated"] = True
        case "AccountRefused":
            record["activated"] = False
        case "AccountLocked":
            record["locked"] = True
        case "AccountUnlocked":
            record["locked"] = False
        case "AccountDeletionRequested":
            record["deletion_requested"] = True
        case "AccountRestored":
            record["deletion_requested"] = False
        case "AccountErased":
            return None
        case "ActivitiesChanged":
            record["activities"] = sorted(p["activities"])
        case "AvailabilityChanged":
            record["spans"] = [
                [r["weekday"], seconds_of_day(r["start"]), seconds_of_day(r["end"])] for r in p["ranges"]
            ]
        case "PlaceChanged":
            place = p["place"]
            record["lat"], record["lon"], record["radius_km"] = place["lat"], place["lon"], p.get("radius_km")
        case "TraitsChanged":
            record["traits"] = sorted(p["traits"])
        case "MembershipApproved":
            if p.get("role") == ASSISTANT:
                record["provider_id"] = p["organisation_id"]
        case "MembershipEnded":
            if record["provider_id"] == p["organisation_id"]:
                record["provider_id"] = None
    record["version"] = version
    return record


def assistant_state(r: Mapping[Any, Any]) -> AssistantState:
    return AssistantState(
        assistant_id=r["assistant_id"],
        version=r["version"],
        activities=frozenset(r["activities"]),
        spans=tuple(Span(*x) for x in r["spans"]),
        lat=r["lat"],
        lon=r["lon"],
        radius_km=r["radius_km"],
        traits=frozenset(r["traits"]),
        activated=r["activated"],
        locked=r["locked"],
        deletion_requested=r["deletion_requested"],
        provider_id=r["provider_id"],
        self_employed=r["self_employed"],
    )


def assistant_record(s: AssistantState) -> dict:
    return {
        "assistant_id": s.assistant_id,
        "version": s.version,
        "activities": sorted(s.activities),
        "spans": [[x.weekday, x.start, x.end] for x in s.spans],
        "lat": s.lat,
        "lon": s.lon,
        "radius_km": s.radius_km,
        "traits": sorted(s.traits),
        "activated": s.activated,
        "locked": s.locked,
        "deletion_requested": s.deletion_requested,
        "provider_id": s.provider_id,
        "self_employed": s.self_employed,
    }


PUBLISHED, AWARDED, WITHDRAWN, FULFILLED = "published", "awarded", "withdrawn", "fulfilled"


@dataclass(frozen=True, slots=True)
class OrderState:
    order_id: str
    version: int
    seeker_id: str
    revision: int
    kind: str  # one_time | recurring
    schedule: dict
    spans: tuple[Span, ...]
    activities: frozenset[str]
    traits: frozenset[str]
    lat: float
    lon: float
    max_distance_km: float
    transport_needed: bool = False
    status: str = PUBLISHED
    emitted: int = 0  # the version of matching's own stream about this order

    @property
    def open(self) -> bool:
        """Published and not awarded: requests go out, it shows as a free order."""
        return self.status == PUBLISHED


ORDER_EVENTS = frozenset(
    {
        "OrderPublished",
        "OrderChanged",
        "OrderWithdrawn",
        "OfferAccepted",
        "AwardEnded",
        "OrderFulfilled",
    }
)


def required_spans(schedule: dict) -> tuple[Span, ...]:
    """The weekly time ranges an order needs: a one-time order's weekday and range, or its pattern."""
    if schedule["kind"] == "one_time":
        day = schedule["date"]
        weekday = (day if isinstance(day, date) else date.fromisoformat(day)).weekday()
        return (Span.parse({"weekday": weekday, "start": schedule["start"], "end": schedule["end"]}),)
    return tuple(Span.parse(r) for r in schedule["ranges"])


def order_from_terms(order_id: str, version: int, p: dict, status: str = PUBLISHED) -> OrderState:
    schedule = p["schedule"]
    return OrderState(
        order_id=order_id,
        version=version,
        seeker_id=p.get("seeker_id", ""),
        revision=p.get("revision", 1),
        kind=schedule["kind"],
        schedule=schedule,
        spans=required_spans(schedule),
        activities=frozenset(p["activities"]),
        traits=frozenset(p.get("traits", ())),
        lat=p["place"]["lat"],
        lon=p["place"]["lon"],
        max_distance_km=p["max_distance_km"],
        transport_needed=bool(p.get("transport_needed")),
        status=status,
    )


def evolve_order(state: OrderState | None, order_id: str, event_type: str, version: int, p: dict) -> OrderState | None:
    """Fold one orders event into the order as matching sees it (from its first publication)."""
    if event_type not in ORDER_EVENTS:
        return state
    if state is not None and version <= state.version:
        return state
    if event_type in {"OrderPublished", "OrderChanged"}:
        if state is None:
            return order_from_terms(order_id, version, p)
        keep = state.status if state.status != WITHDRAWN else PUBLISHED
        return replace(order_from_terms(order_id, version, p, keep), emitted=state.emitted)
    if state is None:
        return None
    status = {
        "OrderWithdrawn": WITHDRAWN,
        "OfferAccepted": AWARDED,
        "AwardEnded": PUBLISHED,
        "OrderFulfilled": FULFILLED,
    }[event_type]
    if event_type == "AwardEnded" and state.status != AWARDED:
        status = state.status
    return replace(state, version=version, status=status)
