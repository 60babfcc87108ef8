"""Assistance contracts: from an accepted offer to a ratified, later ended contract.

Status: opened → meeting_proposed → meeting_scheduled → meeting_held → drafted → ratified → ended,
or declined (after the meeting) / cancelled (order withdrawn). The contract comes at the end of the
get-to-know meeting ("Bei Sympathie kann am Ende ein Vertrag abgeschlossen werden", seeds 000/001):
it can be drafted, so signed and ratified, only once the provider side recorded that the meeting
took place (`RecordMeetingHeld`, at a time not in the future). `decide(state, command, actor, now)`
returns events or raises a problem; `evolve(state, event, contract_id)` folds one event into the state.
Who may give a command is checked before, in `contracts.app.permissions`; a command carries the
acting person's id where an event names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import singledispatch

from contracts.domain.events import ContractTermsRecorded, Event, MeetingHeld, RatingTextRecorded
from teilhabe_events.contexts import contracts as pub
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Unprocessable

OPEN_STATES = {"opened", "meeting_proposed", "meeting_scheduled", "meeting_held", "drafted"}


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
    party: str = ""  # "seeker" | "provider" | "assistant": the caller's side, set by the permission check


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


def _require_status(c: Contract, *states: str) -> None:
    if c.restricted:
        raise Conflict("Die Verarbeitung ist eingeschränkt (Löschung beantragt).")
    if c.status not in states:
        raise Conflict(f"Das geht im Stand „{c.status}“ nicht.")


def decide(state: Contract | None, command: object, actor: str | None, now: datetime) -> list[Event]:
    """The events a command of `actor` causes; raises Conflict (state) or Unprocessable (input)."""
    if isinstance(command, OpenProcess):
        return [] if state is not None else _open(command)
    if state is None:
        raise Conflict("Diesen Vertrag gibt es nicht.")
    if state.erased:
        raise Conflict("Dieser Vertrag wurde nach Ablauf der Aufbewahrungsfrist gelöscht.")
    return _decide(command, state, actor or "", now)


def _open(cmd: OpenProcess) -> list[Event]:
    return [
        pub.ContractProcessOpened(
            contract_id=cmd.contract_id,
            order_id=cmd.order_id,
            offer_id=cmd.offer_id,
            seeker_id=cmd.seeker_id,
            assistant_id=cmd.assistant_id,
            organisation_id=cmd.organisation_id,
        )
    ]


@singledispatch
def _decide(command: object, c: Contract, actor: str, now: datetime) -> list[Event]:
    raise TypeError(f"unknown command {command!r}")


@_decide.register
def _(cmd: ProposeMeeting, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "opened", "meeting_proposed")
    if any(slot <= now for slot in cmd.slots):
        raise Unprocessable("Die Termine müssen in der Zukunft liegen.", field="slots")
    if len(set(cmd.slots)) != len(cmd.slots):
        raise Unprocessable("Jeder Termin darf nur einmal vorkommen.", field="slots")
    return [pub.MeetingProposed(contract_id=c.contract_id, slots=sorted(cmd.slots), proposed_by=actor)]


@_decide.register
def _(cmd: PickMeeting, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "meeting_proposed")
    chosen = [s for s in c.slots if datetime.fromisoformat(s) == cmd.slot]
    if not chosen:
        raise Unprocessable("Bitte wählen Sie einen der vorgeschlagenen Termine.", field="slot")
    return [
        pub.MeetingScheduled(
            contract_id=c.contract_id,
            order_id=c.order_id,
            seeker_id=c.seeker_id,
            assistant_id=c.assistant_id,
            organisation_id=c.organisation_id,
            meeting_at=datetime.fromisoformat(chosen[0]),
        )
    ]


@_decide.register
def _(cmd: RecordMeetingHeld, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "meeting_scheduled")
    if cmd.held_at > now:
        raise Unprocessable("Ein Treffen kann erst erfasst werden, wenn es stattgefunden hat.", field="held_at")
    return [MeetingHeld(contract_id=c.contract_id, held_at=cmd.held_at, recorded_by=actor)]


@_decide.register
def _(cmd: Decline, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "meeting_scheduled", "meeting_held", "drafted")
    return [
        pub.ContractDeclined(
            contract_id=c.contract_id,
            order_id=c.order_id,
            offer_id=c.offer_id,
            seeker_id=c.seeker_id,
            declined_by=actor,
            party=pub.ContractParty(cmd.party),
            reason=pub.DeclineReason.DECLINED_AFTER_MEETING,
        )
    ]


@_decide.register
def _(cmd: CancelProcess, c: Contract, actor: str, now: datetime) -> list[Event]:
    if c.status not in OPEN_STATES:
        return []  # already ratified, declined or cancelled: nothing to close
    return [
        pub.ContractProcessCancelled(
            contract_id=c.contract_id, order_id=c.order_id, reason=pub.CancelReason(cmd.reason)
        )
    ]


@_decide.register
def _(cmd: DraftContract, c: Contract, actor: str, now: datetime) -> list[Event]:
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
        ContractTermsRecorded(draft_revision=revision, terms=cmd.terms),
        pub.ContractDrafted(
            contract_id=c.contract_id,
            order_id=c.order_id,
            draft_revision=revision,
            starts_on=cmd.starts_on,
            drafted_by=actor,
        ),
    ]


@_decide.register
def _(cmd: Sign, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "drafted")
    if cmd.party in c.signed:
        raise Conflict("Dieser Entwurf ist von Ihnen schon unterschrieben.")
    return [
        pub.ContractSigned(
            contract_id=c.contract_id,
            party=pub.ContractParty(cmd.party),
            method=pub.SignatureMethod(cmd.method),
            draft_revision=c.draft_revision,
            signed_by=actor,
        )
    ]


@_decide.register
def _(cmd: Ratify, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "drafted")
    missing = {"seeker", "assistant"} - c.signed
    if missing:
        raise Conflict("Es fehlen noch Unterschriften: " + ", ".join(sorted(missing)) + ".")
    assert c.starts_on is not None
    return [
        pub.ContractRatified(
            contract_id=c.contract_id,
            order_id=c.order_id,
            offer_id=c.offer_id,
            seeker_id=c.seeker_id,
            assistant_id=c.assistant_id,
            organisation_id=c.organisation_id,
            starts_on=date.fromisoformat(c.starts_on),
            ratified_by=actor,
        )
    ]


@_decide.register
def _(cmd: EndContract, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "ratified")
    assert c.starts_on is not None
    if cmd.ends_on < date.fromisoformat(c.starts_on):
        raise Unprocessable("Das Ende darf nicht vor dem Beginn liegen.", field="ends_on")
    return [
        pub.ContractEnded(
            contract_id=c.contract_id,
            order_id=c.order_id,
            reason=pub.EndReason(cmd.reason),
            ends_on=cmd.ends_on,
            ended_by=actor,
        )
    ]


@_decide.register
def _(cmd: Rate, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "ratified", "ended")
    assert c.starts_on is not None
    first = c.starts_on[:7]
    last = min(local_date(now).isoformat()[:7], (c.ends_on or "9999-12")[:7])
    if not first <= cmd.period <= last:
        raise Unprocessable(f"Bewertbar sind die Monate {first} bis {last}.", field="period")
    if cmd.period in c.rated_periods:
        raise Conflict("Für diesen Monat gibt es schon eine Bewertung.")
    events: list[Event] = [
        pub.AssistantRated(contract_id=c.contract_id, assistant_id=c.assistant_id, period=cmd.period, stars=cmd.stars)
    ]
    if cmd.sealed_text:
        events.append(RatingTextRecorded(period=cmd.period, text=cmd.sealed_text))
    return events


@_decide.register
def _(cmd: RecordBooking, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "ratified", "ended")
    assert c.starts_on is not None
    if (
        cmd.worked_on > local_date(now)
        or cmd.worked_on < date.fromisoformat(c.starts_on)
        or (c.ends_on and cmd.worked_on > date.fromisoformat(c.ends_on))
    ):
        raise Unprocessable("Der Tag muss in der Vertragslaufzeit und nicht in der Zukunft liegen.", field="worked_on")
    if cmd.booking_id in c.bookings:
        return []
    return [
        pub.BookingRecorded(
            contract_id=c.contract_id,
            booking_id=cmd.booking_id,
            assistant_id=c.assistant_id,
            worked_on=cmd.worked_on,
            minutes=cmd.minutes,
        )
    ]


@_decide.register
def _(cmd: ApproveBooking, c: Contract, actor: str, now: datetime) -> list[Event]:
    _require_status(c, "ratified", "ended")
    if cmd.booking_id not in c.bookings:
        raise Conflict("Diese Buchung gibt es nicht.")
    if c.bookings[cmd.booking_id]:
        raise Conflict("Diese Buchung ist schon bestätigt.")
    return [pub.BookingApproved(contract_id=c.contract_id, booking_id=cmd.booking_id, approved_by=actor)]


@_decide.register
def _(cmd: RestrictProcessing, c: Contract, actor: str, now: datetime) -> list[Event]:
    return [] if c.restricted else [pub.ContractProcessingRestricted(contract_id=c.contract_id)]


@_decide.register
def _(cmd: EraseContract, c: Contract, actor: str, now: datetime) -> list[Event]:
    return [pub.ContractErased(contract_id=c.contract_id)]


# --- evolve -----------------------------------------------------------------------------------


def evolve(state: Contract | None, event: Event, contract_id: str = "") -> Contract:
    """The state after `event` (the stream's first event is always ContractProcessOpened)."""
    if isinstance(event, pub.ContractProcessOpened):
        return Contract(
            contract_id=event.contract_id,
            order_id=event.order_id,
            offer_id=event.offer_id,
            seeker_id=event.seeker_id,
            assistant_id=event.assistant_id,
            organisation_id=event.organisation_id,
        )
    assert state is not None, f"{type(event).__name__} before ContractProcessOpened"
    match event:
        case pub.MeetingProposed():
            return replace(state, status="meeting_proposed", slots=tuple(s.isoformat() for s in event.slots))
        case pub.MeetingScheduled():
            return replace(state, status="meeting_scheduled", meeting_at=event.meeting_at.isoformat())
        case MeetingHeld():
            return replace(state, status="meeting_held", meeting_at=event.held_at.isoformat())
        case pub.ContractDeclined():
            return replace(state, status="declined")
        case pub.ContractProcessCancelled():
            return replace(state, status="cancelled")
        case pub.ContractDrafted():
            return replace(
                state,
                status="drafted",
                draft_revision=event.draft_revision,
                starts_on=event.starts_on.isoformat(),
                signed=frozenset(),
            )
        case pub.ContractSigned():
            return replace(state, signed=state.signed | {event.party.value})
        case pub.ContractRatified():
            return replace(state, status="ratified")
        case pub.ContractEnded():
            return replace(state, status="ended", ends_on=event.ends_on.isoformat())
        case pub.AssistantRated():
            return replace(state, rated_periods=state.rated_periods | {event.period})
        case pub.BookingRecorded():
            return replace(state, bookings=state.bookings | {event.booking_id: False})
        case pub.BookingApproved():
            return replace(state, bookings=state.bookings | {event.booking_id: True})
        case pub.ContractProcessingRestricted():
            return replace(state, restricted=True)
        case pub.ContractErased():
            return replace(state, erased=True)
    return state  # internal events that do not change the decision state
