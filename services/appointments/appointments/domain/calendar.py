"""One counselor's appointment book at one centre (stream `calendar`, id `<centre_id>:<counselor_id>`):
booking times, absences, holds, bookings, group appointments and the waitlist, folded from its events."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from appointments.domain.events import (
    AbsenceRecorded,
    AbsenceRemoved,
    BookingTimesSet,
    CalendarEvent,
    CalendarOpened,
    CounselorProfileChanged,
    GroupAppointmentDescribed,
    HoldReleased,
    SlotHeld,
    WaitlistJoined,
    WaitlistLeft,
)
from appointments.domain.values import BookingTime
from teilhabe_events.contexts.appointments import (
    BookingCancelled,
    BookingRescheduled,
    GroupAppointmentCancelled,
    GroupAppointmentScheduled,
    GroupAppointmentUpdated,
    GroupParticipantAdded,
    GroupParticipantRemoved,
    SlotBooked,
    WaitlistOfferExpired,
    WaitlistOfferMade,
)


def calendar_id(centre_id: str, counselor_id: str) -> str:
    return f"{centre_id}:{counselor_id}"


@dataclass(frozen=True)
class Busy:
    """A span of the counselor's time that no slot may overlap: [starts_at, blocked_until)."""

    starts_at: datetime
    blocked_until: datetime

    def overlaps(self, starts_at: datetime, blocked_until: datetime) -> bool:
        return self.starts_at < blocked_until and starts_at < self.blocked_until


@dataclass(frozen=True)
class Booking(Busy):
    booking_id: str
    client_id: str
    service_id: str
    ends_at: datetime


@dataclass(frozen=True)
class Hold(Busy):
    """A reservation while a client confirms, or a waitlist offer (`entry_id`) held for its client."""

    hold_id: str
    client_id: str
    service_id: str
    expires_at: datetime
    entry_id: str | None = None


@dataclass(frozen=True)
class Absence:
    absence_id: str
    first_day: date
    last_day: date
    label: str


@dataclass(frozen=True)
class GroupAppointment(Busy):
    group_appointment_id: str
    ends_at: datetime
    channel: str
    max_participants: int
    bookable_by_clients: bool
    title: str = ""
    description: str | None = None
    participants: tuple[str, ...] = ()
    client_group_ids: tuple[str, ...] = ()

    @property
    def seats_left(self) -> int:
        return self.max_participants - len(self.participants)


@dataclass(frozen=True)
class WaitlistEntry:
    entry_id: str
    client_id: str
    service_id: str
    wanted_before: datetime
    offered: bool = False


@dataclass(frozen=True)
class Calendar:
    centre_id: str
    counselor_id: str
    display_name: str = ""
    only_regular_clients: bool = False
    video_url: str | None = None
    booking_times: tuple[BookingTime, ...] = ()
    absences: dict[str, Absence] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    bookings: dict[str, Booking] = field(default_factory=dict)
    groups: dict[str, GroupAppointment] = field(default_factory=dict)
    waitlist: tuple[WaitlistEntry, ...] = ()

    @property
    def calendar_id(self) -> str:
        return calendar_id(self.centre_id, self.counselor_id)

    def busy(self, now: datetime, *, except_booking: str | None = None, for_client: str | None = None) -> list[Busy]:
        """What the counselor's time is taken by: bookings, group appointments and live holds (a
        client's own hold does not stand in their way)."""
        spans: list[Busy] = [b for b in self.bookings.values() if b.booking_id != except_booking]
        spans += [g for g in self.groups.values()]
        spans += [h for h in self.holds.values() if h.expires_at > now and h.client_id != for_client]
        return spans

    def absent_on(self, day: date) -> bool:
        return any(a.first_day <= day <= a.last_day for a in self.absences.values())


def _without(entries: tuple[WaitlistEntry, ...], entry_id: str) -> tuple[WaitlistEntry, ...]:
    return tuple(e for e in entries if e.entry_id != entry_id)


def evolve(state: Calendar | None, event: CalendarEvent, stream_id: str) -> Calendar:  # noqa: C901 (one case per event)
    if state is None:
        centre_id, _, counselor_id = stream_id.partition(":")
        state = Calendar(centre_id, counselor_id)
    match event:
        case CalendarOpened():
            return state
        case CounselorProfileChanged():
            return replace(
                state,
                display_name=event.display_name,
                only_regular_clients=event.only_regular_clients,
                video_url=event.video_url,
            )
        case BookingTimesSet(booking_times=times):
            return replace(state, booking_times=times)
        case AbsenceRecorded():
            absence = Absence(event.absence_id, event.first_day, event.last_day, event.label)
            return replace(state, absences=state.absences | {event.absence_id: absence})
        case AbsenceRemoved(absence_id=absence_id):
            return replace(state, absences={k: v for k, v in state.absences.items() if k != absence_id})
        case SlotHeld():
            hold = Hold(
                event.starts_at, event.blocked_until, event.hold_id, event.client_id, event.service_id, event.expires_at
            )
            return replace(state, holds=state.holds | {event.hold_id: hold})
        case HoldReleased(hold_id=hold_id):
            return replace(state, holds={k: v for k, v in state.holds.items() if k != hold_id})
        case SlotBooked():
            booking = Booking(
                event.starts_at,
                event.blocked_until,
                event.booking_id,
                event.client_id,
                event.service_id,
                event.ends_at,
            )
            # the client's own holds and offers of this time are used up; their waitlist entry is served
            holds = {
                k: h
                for k, h in state.holds.items()
                if not (h.client_id == event.client_id and h.overlaps(event.starts_at, event.blocked_until))
            }
            served = {h.entry_id for h in state.holds.values() if h.entry_id and h.hold_id not in holds}
            waitlist = tuple(e for e in state.waitlist if e.entry_id not in served)
            return replace(state, bookings=state.bookings | {event.booking_id: booking}, holds=holds, waitlist=waitlist)
        case BookingCancelled(booking_id=booking_id):
            return replace(state, bookings={k: v for k, v in state.bookings.items() if k != booking_id})
        case BookingRescheduled():
            moved = replace(
                state.bookings[event.booking_id],
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                blocked_until=event.blocked_until,
            )
            return replace(state, bookings=state.bookings | {event.booking_id: moved})
        case GroupAppointmentScheduled() | GroupAppointmentUpdated():
            known = state.groups.get(event.group_appointment_id)
            group = GroupAppointment(
                event.starts_at,
                event.blocked_until,
                event.group_appointment_id,
                event.ends_at,
                event.channel,
                event.max_participants,
                event.bookable_by_clients,
                *((known.title, known.description, known.participants, known.client_group_ids) if known else ()),
            )
            return replace(state, groups=state.groups | {group.group_appointment_id: group})
        case GroupAppointmentDescribed():
            group = state.groups[event.group_appointment_id]
            described = replace(
                group, title=event.title, description=event.description, client_group_ids=event.client_group_ids
            )
            return replace(state, groups=state.groups | {group.group_appointment_id: described})
        case GroupAppointmentCancelled(group_appointment_id=group_id):
            return replace(state, groups={k: v for k, v in state.groups.items() if k != group_id})
        case GroupParticipantAdded():
            group = state.groups[event.group_appointment_id]
            joined = replace(group, participants=(*group.participants, event.client_id))
            return replace(state, groups=state.groups | {group.group_appointment_id: joined})
        case GroupParticipantRemoved():
            group = state.groups[event.group_appointment_id]
            left = replace(group, participants=tuple(p for p in group.participants if p != event.client_id))
            return replace(state, groups=state.groups | {group.group_appointment_id: left})
        case WaitlistJoined():
            entry = WaitlistEntry(event.entry_id, event.client_id, event.service_id, event.wanted_before)
            return replace(state, waitlist=(*state.waitlist, entry))
        case WaitlistLeft(entry_id=entry_id):
            return replace(state, waitlist=_without(state.waitlist, entry_id))
        case WaitlistOfferMade():
            entry = next(e for e in state.waitlist if e.entry_id == event.entry_id)
            hold = Hold(
                event.starts_at,
                event.blocked_until,
                f"offer:{event.entry_id}",
                event.client_id,
                event.service_id,
                event.expires_at,
                event.entry_id,
            )
            waitlist = tuple(replace(e, offered=True) if e is entry else e for e in state.waitlist)
            return replace(state, holds=state.holds | {hold.hold_id: hold}, waitlist=waitlist)
        case WaitlistOfferExpired(entry_id=entry_id):
            holds = {k: v for k, v in state.holds.items() if k != f"offer:{entry_id}"}
            return replace(state, holds=holds, waitlist=_without(state.waitlist, entry_id))
    return state
