"""What matching knows of an assistant and of an order, and how events change it (pure).

`evolve_*` take the event type, the source stream's version and the (current-schema) payload
dict; they return the new state, the same object when the event is irrelevant or already
applied (its stream version is not newer), or None when the state is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

from matching.domain.time import Span

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


ASSISTANT_EVENTS = frozenset({
    "AccountRegistered", "AccountActivated", "AccountRefused", "AccountLocked", "AccountUnlocked",
    "AccountDeletionRequested", "AccountRestored", "AccountErased", "ActivitiesChanged",
    "AvailabilityChanged", "PlaceChanged", "TraitsChanged", "MembershipApproved", "MembershipEnded",
})


def evolve_assistant(
    state: AssistantState | None, account_id: str, event_type: str, version: int, p: dict
) -> AssistantState | None:
    """Fold one identity event into an assistant; accounts of other roles are not kept."""
    if event_type not in ASSISTANT_EVENTS:
        return state
    if state is None:
        if p.get("role") != ASSISTANT or event_type not in {
            "AccountRegistered", "AccountActivated", "MembershipApproved",
        }:
            return None
        state = AssistantState(account_id)
    elif version <= state.version:
        return state
    match event_type:
        case "AccountRegistered":
            change = {"self_employed": bool(p.get("self_employed"))}
        case "AccountActivated":
            change = {"activated": True}
        case "AccountRefused":
            change = {"activated": False}
        case "AccountLocked":
            change = {"locked": True}
        case "AccountUnlocked":
            change = {"locked": False}
        case "AccountDeletionRequested":
            change = {"deletion_requested": True}
        case "AccountRestored":
            change = {"deletion_requested": False}
        case "AccountErased":
            return None
        case "ActivitiesChanged":
            change = {"activities": frozenset(p["activities"])}
        case "AvailabilityChanged":
            change = {"spans": tuple(Span.parse(r) for r in p["ranges"])}
        case "PlaceChanged":
            place = p["place"]
            change = {"lat": place["lat"], "lon": place["lon"], "radius_km": p.get("radius_km")}
        case "TraitsChanged":
            change = {"traits": frozenset(p["traits"])}
        case "MembershipApproved":
            change = {"provider_id": p["organisation_id"]} if p.get("role") == ASSISTANT else {}
        case _:  # MembershipEnded
            change = {"provider_id": None} if state.provider_id == p["organisation_id"] else {}
    change["version"] = version
    return AssistantState(*[change[f] if f in change else getattr(state, f) for f in _ASSISTANT_FIELDS])


_ASSISTANT_FIELDS = tuple(f.name for f in fields(AssistantState))


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

    @property
    def open(self) -> bool:
        """Published and not awarded: requests go out, it shows as a free order."""
        return self.status == PUBLISHED


ORDER_EVENTS = frozenset({
    "OrderPublished", "OrderChanged", "OrderWithdrawn", "OfferAccepted", "AwardEnded", "OrderFulfilled",
})


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
        order_id=order_id, version=version, seeker_id=p.get("seeker_id", ""),
        revision=p.get("revision", 1), kind=schedule["kind"], schedule=schedule,
        spans=required_spans(schedule), activities=frozenset(p["activities"]),
        traits=frozenset(p.get("traits", ())), lat=p["place"]["lat"], lon=p["place"]["lon"],
        max_distance_km=p["max_distance_km"], transport_needed=bool(p.get("transport_needed")),
        status=status,
    )


def evolve_order(
    state: OrderState | None, order_id: str, event_type: str, version: int, p: dict
) -> OrderState | None:
    """Fold one orders event into the order as matching sees it (from its first publication)."""
    if event_type not in ORDER_EVENTS:
        return state
    if state is not None and version <= state.version:
        return state
    if event_type in {"OrderPublished", "OrderChanged"}:
        keep = state.status if state is not None and state.status != WITHDRAWN else PUBLISHED
        return order_from_terms(order_id, version, p, keep)
    if state is None:
        return None
    status = {
        "OrderWithdrawn": WITHDRAWN, "OfferAccepted": AWARDED,
        "AwardEnded": PUBLISHED, "OrderFulfilled": FULFILLED,
    }[event_type]
    if event_type == "AwardEnded" and state.status != AWARDED:
        status = state.status
    return replace(state, version=version, status=status)
