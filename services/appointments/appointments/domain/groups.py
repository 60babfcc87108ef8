"""Group appointments: a counselor's time with up to `max_participants` clients (or an internal
meeting, not bookable by clients). They take the counselor's time like a booking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from appointments.domain.calendar import Calendar, GroupAppointment
from appointments.domain.events import CalendarEvent, GroupAppointmentDescribed
from appointments.domain.slots import Slot, untaken
from appointments.domain.values import Channel
from teilhabe_events.contexts.appointments import (
    GroupAppointmentCancelled,
    GroupAppointmentScheduled,
    GroupAppointmentUpdated,
    GroupParticipantAdded,
    GroupParticipantRemoved,
    Party,
)
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable

NO_GROUP = "Diesen Gruppentermin gibt es nicht."


@dataclass(frozen=True)
class GroupPlan:
    """What staff enter for a group appointment."""

    title: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    follow_up_minutes: int
    channel: Channel
    max_participants: int
    bookable_by_clients: bool
    client_group_ids: tuple[str, ...] = ()

    @property
    def blocked_until(self) -> datetime:
        return self.ends_at + timedelta(minutes=self.follow_up_minutes)


def _check(calendar: Calendar, plan: GroupPlan, now: datetime, except_group: str | None) -> None:
    if plan.starts_at < now:
        raise Unprocessable("Der Termin liegt in der Vergangenheit.", field="starts_at", en="This is in the past.")
    if plan.ends_at <= plan.starts_at:
        raise Unprocessable("„Bis“ muss nach „Von“ liegen.", field="ends_at", en="The end must be after the start.")
    busy = [b for b in calendar.busy(now) if getattr(b, "group_appointment_id", None) != except_group]
    span = Slot(plan.starts_at, plan.ends_at, plan.blocked_until, "", calendar.counselor_id)
    if not untaken([span], busy):
        raise Conflict(
            "Zu dieser Zeit hat die Beraterin oder der Berater schon einen Termin.",
            en="The counselor already has an appointment at that time.",
        )


def _group(calendar: Calendar, group_id: str) -> GroupAppointment:
    group = calendar.groups.get(group_id)
    if group is None:
        raise NotFound(NO_GROUP, en="There is no such group appointment.")
    return group


def schedule(calendar: Calendar, group_id: str, plan: GroupPlan, now: datetime) -> list[CalendarEvent]:
    _check(calendar, plan, now, None)
    return [
        GroupAppointmentScheduled(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            group_appointment_id=group_id,
            channel=plan.channel.value,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            blocked_until=plan.blocked_until,
            max_participants=plan.max_participants,
            bookable_by_clients=plan.bookable_by_clients,
        ),
        GroupAppointmentDescribed(
            group_appointment_id=group_id,
            title=plan.title,
            description=plan.description,
            client_group_ids=plan.client_group_ids,
        ),
    ]


def update(calendar: Calendar, group_id: str, plan: GroupPlan, now: datetime) -> list[CalendarEvent]:
    group = _group(calendar, group_id)
    _check(calendar, plan, now, group_id)
    if plan.max_participants < len(group.participants):
        raise Unprocessable(
            f"Es sind schon {len(group.participants)} Personen angemeldet.",
            field="max_participants",
            en=f"{len(group.participants)} people have already joined.",
        )
    return [
        GroupAppointmentUpdated(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            group_appointment_id=group_id,
            channel=plan.channel.value,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            blocked_until=plan.blocked_until,
            max_participants=plan.max_participants,
            bookable_by_clients=plan.bookable_by_clients,
            participant_ids=list(group.participants),
        ),
        GroupAppointmentDescribed(
            group_appointment_id=group_id,
            title=plan.title,
            description=plan.description,
            client_group_ids=plan.client_group_ids,
        ),
    ]


def cancel(calendar: Calendar, group_id: str) -> list[CalendarEvent]:
    group = _group(calendar, group_id)
    return [
        GroupAppointmentCancelled(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            group_appointment_id=group_id,
            starts_at=group.starts_at,
            participant_ids=list(group.participants),
        )
    ]


def add_participant(
    calendar: Calendar, group_id: str, client_id: str, by: Party, now: datetime
) -> list[GroupParticipantAdded]:
    """A seat for the client: by themselves when the group is bookable by clients, or added by staff."""
    group = _group(calendar, group_id)
    if by == "client" and not group.bookable_by_clients:
        raise NotFound(NO_GROUP, en="There is no such group appointment.")
    if group.starts_at < now:
        raise Conflict("Dieser Gruppentermin hat schon begonnen.", en="This group appointment has already begun.")
    if client_id in group.participants:
        raise Conflict("Diese Person ist schon angemeldet.", en="This person has already joined.")
    if group.seats_left <= 0:
        raise Conflict("Dieser Gruppentermin ist leider ausgebucht.", en="This group appointment is full.")
    return [
        GroupParticipantAdded(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            group_appointment_id=group_id,
            client_id=client_id,
            added_by=by,
        )
    ]


def remove_participant(calendar: Calendar, group_id: str, client_id: str, by: Party) -> list[GroupParticipantRemoved]:
    group = _group(calendar, group_id)
    if client_id not in group.participants:
        raise NotFound("Diese Person ist nicht angemeldet.", en="This person has not joined.")
    return [
        GroupParticipantRemoved(
            centre_id=calendar.centre_id,
            counselor_id=calendar.counselor_id,
            group_appointment_id=group_id,
            client_id=client_id,
            removed_by=by,
        )
    ]
