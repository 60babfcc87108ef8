"""Assistance contracts: from an accepted offer to a ratified, later ended contract.

Status: opened → meeting_proposed → meeting_scheduled → meeting_held → drafted → ratified → ended,
or declined (after the meeting) / cancelled (order withdrawn). The contract comes at the end of the
get-to-know meeting ("Bei Sympathie kann am Ende ein Vertrag abgeschlossen werden", seeds 000/001):
it can be drafted, so signed and ratified, only once the provider side recorded that the meeting
took place (`RecordMeetingHeld`, at a time not in the future). `decide(state, command, principal, now)` returns
events or raises a problem; `evolve(state, event)` folds one event into the state.

The provider side is the coordinator of the assistant's provider, or the assistant when
self-employed. The seeker side is the seeker or a guardian acting for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import singledispatch

from contracts.domain.events import Event, iso
from contracts.domain.parties import acts_for, staff_of
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, Unprocessable

OPEN_STATES = {"opened", "meeting_proposed", "meeting_scheduled", "meeting_held", "drafted"}
TERMS_RECORDED = "ContractTermsRecorded"
"""Internal event (event store only): the full terms, text sealed by the use case."""
RATING_TEXT_RECORDED = "RatingTextRecorded"
"""Internal event: the sealed text of a rating."""
MEETING_HELD = "MeetingHeld"
"""Internal event: the provider side recorded that the get-to-know meeting took place (and when)."""


@dataclass(frozen=True)
class Contract:
    contract_id: str
    order_id: str
    offer_id: str
    seeker_id: str
    assistant_id: str
    organisation_id: str | None
    status: str = "opened"
    slots: tuple[str, ...] = ()
    meeting_at: str | None = None
    draft_revision: int = 0
    starts_on: str | None = None
    ends_on: str | None = None
    signed: frozenset[str] = frozenset()
    rated_periods: frozenset[str] = frozenset()
    bookings: dict[str, bool] = field(default_factory=dict)
    restricted: bool = False
    erased: bool = False

    def provider_side(self, p: Principal) -> bool:
        if self.organisation_id is None:
            return p.account_id == self.assistant_id and p.has(Role.ASSISTANT)
        return staff_of(p, self.organisation_id, Role.COORDINATOR)

    def seeker_side(self, p: Principal) -> bool:
        return acts_for(p, self.seeker_id, Role.SEEKER)

    def assistant_side(self, p: Principal) -> bool:
        return p.account_id == self.assistant_id and p.has(Role.ASSISTANT)

    def visible_to(self, p: Principal) -> bool:
        if self.restricted:
            return p.has(Role.ADMIN) or self.provider_side(p)
        return self.provider_side(p) or self.seeker_side(p) or self.assistant_side(p) or p.has(Role.ADMIN)


# --- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenProcess:
    contract_id: str
    order_id: str
    offer_id: str
    seeker_id: str
    assistant_id: str
    organisation_id: str | None


@dataclass(frozen=True)
class ProposeMeeting:
    slots: tuple[datetime, ...]


@dataclass(frozen=True)
class PickMeeting:
    slot: datetime


@dataclass(frozen=True)
class RecordMeetingHeld:
    held_at: datetime


@dataclass(frozen=True)
class Decline:
    pass


@dataclass(frozen=True)
class CancelProcess:
    reason: str


@dataclass(frozen=True)
class DraftContract:
    starts_on: date
    terms: dict  # JSON-ready terms; free text already sealed by the use case


@dataclass(frozen=True)
class Sign:
    party: str  # "seeker" | "assistant"
    method: str  # "in_app" | "scan"


@dataclass(frozen=True)
class Ratify:
    pass


@dataclass(frozen=True)
class EndContract:
    reason: str
    ends_on: date


@dataclass(frozen=True)
class Rate:
    period: str
    stars: int
    sealed_text: str | None


@dataclass(frozen=True)
class RecordBooking:
    booking_id: str
    worked_on: date
    minutes: int


@dataclass(frozen=True)
class ApproveBooking:
    booking_id: str


@dataclass(frozen=True)
class RestrictProcessing:
    pass


@dataclass(frozen=True)
class EraseContract:
    pass


# --- decide -----------------------------------------------------------------------------------


def _refuse_unless(allowed: bool, detail: str = "Das dürfen Sie bei diesem Vertrag nicht tun.") -> None:
    if not allowed:
        raise Forbidden(detail)


def _first_day(c: Contract) -> date:
    """The agreed first day (every drafted contract has one)."""
    assert c.starts_on is not None, f"contract {c.contract_id} has no start before its draft"
    return date.fromisoformat(c.starts_on)


def _require_status(c: Contract, *states: str) -> None:
    if c.restricted:
        raise Conflict("Die Verarbeitung ist eingeschränkt (Löschung beantragt).")
    if c.status not in states:
        raise Conflict(f"Das geht im Stand „{c.status}“ nicht.")


def decide(state: Contract | None, command, principal: Principal | None, now: datetime) -> list[Event]:
    """The events a command causes; raises Forbidden (role), Conflict (state) or Unprocessable."""
    if isinstance(command, OpenProcess):
        return [] if state is not None else _open(command)
    if state is None:
        raise Conflict("Diesen Vertrag gibt es nicht.")
    if state.erased:
        raise Conflict("Dieser Vertrag wurde nach Ablauf der Aufbewahrungsfrist gelöscht.")
    return _decide(command, state, principal, now)


def _open(cmd: OpenProcess) -> list[Event]:
    return [
        Event(
            "ContractProcessOpened",
            {
                "contract_id": cmd.contract_id,
                "order_id": cmd.order_id,
                "offer_id": cmd.offer_id,
                "seeker_id": cmd.seeker_id,
                "assistant_id": cmd.assistant_id,
                "organisation_id": cmd.organisation_id,
            },
        )
    ]


@singledispatch
def _decide(command, c: Contract, p: Principal | None, now: datetime) -> list[Event]:
    raise TypeError(f"unknown command {command!r}")


@_decide.register
def _(cmd: ProposeMeeting, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.provider_side(p), "Termine schlägt der Leistungs-Anbieter vor.")
    _require_status(c, "opened", "meeting_proposed")
    if any(slot <= now for slot in cmd.slots):
        raise Unprocessable("Die Termine müssen in der Zukunft liegen.", field="slots")
    if len(set(cmd.slots)) != len(cmd.slots):
        raise Unprocessable("Jeder Termin darf nur einmal vorkommen.", field="slots")
    return [
        Event(
            "MeetingProposed",
            {
                "contract_id": c.contract_id,
                "slots": [iso(s) for s in sorted(cmd.slots)],
                "proposed_by": p.account_id,
            },
        )
    ]


@_decide.register
def _(cmd: PickMeeting, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.seeker_side(p), "Den Termin wählt die Person, die Assistenz sucht.")
    _require_status(c, "meeting_proposed")
    chosen = [s for s in c.slots if datetime.fromisoformat(s) == cmd.slot]
    if not chosen:
        raise Unprocessable("Bitte wählen Sie einen der vorgeschlagenen Termine.", field="slot")
    return [
        Event(
            "MeetingScheduled",
            {
                "contract_id": c.contract_id,
                "order_id": c.order_id,
                "seeker_id": c.seeker_id,
                "assistant_id": c.assistant_id,
                "organisation_id": c.organisation_id,
                "meeting_at": chosen[0],
            },
        )
    ]


@_decide.register
def _(cmd: RecordMeetingHeld, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.provider_side(p), "Dass das Treffen stattgefunden hat, erfasst der Leistungs-Anbieter.")
    _require_status(c, "meeting_scheduled")
    if cmd.held_at > now:
        raise Unprocessable("Ein Treffen kann erst erfasst werden, wenn es stattgefunden hat.", field="held_at")
    return [
        Event(MEETING_HELD, {"contract_id": c.contract_id, "held_at": iso(cmd.held_at), "recorded_by": p.account_id})
    ]


@_decide.register
def _(cmd: Decline, c: Contract, p: Principal, now: datetime) -> list[Event]:
    if c.seeker_side(p):
        party = "seeker"
    elif c.provider_side(p):
        party = "provider"
    elif c.assistant_side(p):
        party = "assistant"
    else:
        raise Forbidden("Das dürfen Sie bei diesem Vertrag nicht tun.")
    _require_status(c, "meeting_scheduled", "meeting_held", "drafted")
    return [
        Event(
            "ContractDeclined",
            {
                "contract_id": c.contract_id,
                "order_id": c.order_id,
                "offer_id": c.offer_id,
                "seeker_id": c.seeker_id,
                "declined_by": p.account_id,
                "party": party,
                "reason": "declined_after_meeting",
            },
        )
    ]


@_decide.register
def _(cmd: CancelProcess, c: Contract, p: Principal | None, now: datetime) -> list[Event]:
    if c.status not in OPEN_STATES:
        return []  # already ratified, declined or cancelled: nothing to close
    return [
        Event(
            "ContractProcessCancelled",
            {
                "contract_id": c.contract_id,
                "order_id": c.order_id,
                "reason": cmd.reason,
            },
        )
    ]


@_decide.register
def _(cmd: DraftContract, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.provider_side(p), "Den Vertrag entwirft der Leistungs-Anbieter.")
    if c.status in ("opened", "meeting_proposed", "meeting_scheduled") and not c.restricted:
        raise Conflict(
            "Den Vertrag gibt es erst nach dem Kennenlern-Treffen. Bitte erfassen Sie zuerst, dass das Treffen "
            "stattgefunden hat."
        )
    _require_status(c, "meeting_held", "drafted")
    if cmd.starts_on < local_date(now):
        raise Unprocessable("Der Beginn darf nicht in der Vergangenheit liegen.", field="starts_on")
    revision = c.draft_revision + 1
    return [
        Event(TERMS_RECORDED, {"draft_revision": revision, "terms": cmd.terms}),
        Event(
            "ContractDrafted",
            {
                "contract_id": c.contract_id,
                "order_id": c.order_id,
                "draft_revision": revision,
                "starts_on": iso(cmd.starts_on),
                "drafted_by": p.account_id,
            },
        ),
    ]


@_decide.register
def _(cmd: Sign, c: Contract, p: Principal, now: datetime) -> list[Event]:
    side = {"seeker": c.seeker_side, "assistant": c.assistant_side}.get(cmd.party)
    _refuse_unless(side is not None and side(p), "Sie können nur für sich selbst unterschreiben.")
    _require_status(c, "drafted")
    if cmd.party in c.signed:
        raise Conflict("Dieser Entwurf ist von Ihnen schon unterschrieben.")
    return [
        Event(
            "ContractSigned",
            {
                "contract_id": c.contract_id,
                "party": cmd.party,
                "method": cmd.method,
                "draft_revision": c.draft_revision,
                "signed_by": p.account_id,
            },
        )
    ]


@_decide.register
def _(cmd: Ratify, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.provider_side(p), "Gegenzeichnen darf nur der Leistungs-Anbieter.")
    _require_status(c, "drafted")
    missing = {"seeker", "assistant"} - c.signed
    if missing:
        raise Conflict("Es fehlen noch Unterschriften: " + ", ".join(sorted(missing)) + ".")
    return [
        Event(
            "ContractRatified",
            {
                "contract_id": c.contract_id,
                "order_id": c.order_id,
                "offer_id": c.offer_id,
                "seeker_id": c.seeker_id,
                "assistant_id": c.assistant_id,
                "organisation_id": c.organisation_id,
                "starts_on": c.starts_on,
                "ratified_by": p.account_id,
            },
        )
    ]


@_decide.register
def _(cmd: EndContract, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.seeker_side(p) or c.provider_side(p))
    _require_status(c, "ratified")
    if cmd.ends_on < _first_day(c):
        raise Unprocessable("Das Ende darf nicht vor dem Beginn liegen.", field="ends_on")
    return [
        Event(
            "ContractEnded",
            {
                "contract_id": c.contract_id,
                "order_id": c.order_id,
                "reason": cmd.reason,
                "ends_on": iso(cmd.ends_on),
                "ended_by": p.account_id,
            },
        )
    ]


@_decide.register
def _(cmd: Rate, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.seeker_side(p), "Bewerten kann nur die Person, die Assistenz bekommt.")
    _require_status(c, "ratified", "ended")
    first = _first_day(c).isoformat()[:7]
    last = min(local_date(now).isoformat()[:7], (c.ends_on or "9999-12")[:7])
    if not first <= cmd.period <= last:
        raise Unprocessable(f"Bewertbar sind die Monate {first} bis {last}.", field="period")
    if cmd.period in c.rated_periods:
        raise Conflict("Für diesen Monat gibt es schon eine Bewertung.")
    events = [
        Event(
            "AssistantRated",
            {
                "contract_id": c.contract_id,
                "assistant_id": c.assistant_id,
                "period": cmd.period,
                "stars": cmd.stars,
            },
        )
    ]
    if cmd.sealed_text:
        events.append(Event(RATING_TEXT_RECORDED, {"period": cmd.period, "text": cmd.sealed_text}))
    return events


@_decide.register
def _(cmd: RecordBooking, c: Contract, p: Principal, now: datetime) -> list[Event]:
    _refuse_unless(c.assistant_side(p), "Stunden bucht die Assistenz-Kraft selbst.")
    _require_status(c, "ratified", "ended")
    if (
        cmd.worked_on > local_date(now)
        or cmd.worked_on < _first_day(c)
        or (c.ends_on and cmd.worked_on > date.fromisoformat(c.ends_on))
    ):
        raise Unprocessable("Der Tag muss in der Vertragslaufzeit und nicht in der Zukunft liegen.", field="worked_on")
    if cmd.booking_id in c.bookings:
        return []
    return [
        Event(
            "BookingRecorded",
            {
                "contract_id": c.contract_id,
                "booking_id": cmd.booking_id,
                "assistant_id": c.assistant_id,
                "worked_on": iso(cmd.worked_on),
                "minutes": cmd.minutes,
            },
        )
    ]


@_decide.register
def _(cmd: ApproveBooking, c: Contract, p: Principal, now: datetime) -> list[Event]:
    # a self-employed assistant cannot approve their own hours: the seeker confirms them
    approver = c.seeker_side(p) if c.organisation_id is None else c.provider_side(p)
    _refuse_unless(approver, "Stunden bestätigt der Leistungs-Anbieter.")
    _require_status(c, "ratified", "ended")
    if cmd.booking_id not in c.bookings:
        raise Conflict("Diese Buchung gibt es nicht.")
    if c.bookings[cmd.booking_id]:
        raise Conflict("Diese Buchung ist schon bestätigt.")
    return [
        Event(
            "BookingApproved",
            {
                "contract_id": c.contract_id,
                "booking_id": cmd.booking_id,
                "approved_by": p.account_id,
            },
        )
    ]


@_decide.register
def _(cmd: RestrictProcessing, c: Contract, p: Principal | None, now: datetime) -> list[Event]:
    return [] if c.restricted else [Event("ContractProcessingRestricted", {"contract_id": c.contract_id})]


@_decide.register
def _(cmd: EraseContract, c: Contract, p: Principal | None, now: datetime) -> list[Event]:
    return [Event("ContractErased", {"contract_id": c.contract_id})]


# --- evolve -----------------------------------------------------------------------------------


def evolve(state: Contract | None, event: Event) -> Contract:
    """The state after `event` (the stream's first event is always ContractProcessOpened)."""
    d = event.data
    if event.type == "ContractProcessOpened":
        return Contract(
            contract_id=d["contract_id"],
            order_id=d["order_id"],
            offer_id=d["offer_id"],
            seeker_id=d["seeker_id"],
            assistant_id=d["assistant_id"],
            organisation_id=d["organisation_id"],
        )
    assert state is not None, f"{event.type} before ContractProcessOpened"
    match event.type:
        case "MeetingProposed":
            return replace(state, status="meeting_proposed", slots=tuple(d["slots"]))
        case "MeetingScheduled":
            return replace(state, status="meeting_scheduled", meeting_at=d["meeting_at"])
        case _ if event.type == MEETING_HELD:
            return replace(state, status="meeting_held", meeting_at=d["held_at"])
        case "ContractDeclined":
            return replace(state, status="declined")
        case "ContractProcessCancelled":
            return replace(state, status="cancelled")
        case "ContractDrafted":
            return replace(
                state,
                status="drafted",
                draft_revision=d["draft_revision"],
                starts_on=d["starts_on"],
                signed=frozenset(),
            )
        case "ContractSigned":
            return replace(state, signed=state.signed | {d["party"]})
        case "ContractRatified":
            return replace(state, status="ratified")
        case "ContractEnded":
            return replace(state, status="ended", ends_on=d["ends_on"])
        case "AssistantRated":
            return replace(state, rated_periods=state.rated_periods | {d["period"]})
        case "BookingRecorded":
            return replace(state, bookings=state.bookings | {d["booking_id"]: False})
        case "BookingApproved":
            return replace(state, bookings=state.bookings | {d["booking_id"]: True})
        case "ContractProcessingRestricted":
            return replace(state, restricted=True)
        case "ContractErased":
            return replace(state, erased=True)
    return state  # internal events that do not change the decision state
