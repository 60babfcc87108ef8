"""Internal events of the appointments service (event store only, never on Kafka).

Labels, titles, descriptions and display names are free text: they stay here. The public events
(`teilhabe_events.contexts.appointments`) carry ids and times only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from appointments.domain.values import BookingTime, CentreRules, CounselingService
from teilhabe_events.registry import DomainEvent


class _Internal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str]


# centre stream ("appointment_centre", id = centre id)


class CentreRulesChanged(_Internal):
    event_type: ClassVar[str] = "CentreRulesChanged"
    rules: CentreRules


class CounselingServiceDefined(_Internal):
    """A service was added or changed (the whole service as it now is)."""

    event_type: ClassVar[str] = "CounselingServiceDefined"
    service: CounselingService


# calendar stream ("calendar", id = "<centre_id>:<counselor_id>")


class CalendarOpened(_Internal):
    event_type: ClassVar[str] = "CalendarOpened"
    centre_id: str
    counselor_id: str


class CounselorProfileChanged(_Internal):
    """What clients see of the counselor when they book, and whether only regular clients may book."""

    event_type: ClassVar[str] = "CounselorProfileChanged"
    display_name: str
    only_regular_clients: bool
    video_url: str | None = None


class BookingTimesSet(_Internal):
    """The counselor's weekly booking times (the whole set as it now is)."""

    event_type: ClassVar[str] = "BookingTimesSet"
    booking_times: tuple[BookingTime, ...]


class AbsenceRecorded(_Internal):
    event_type: ClassVar[str] = "AbsenceRecorded"
    absence_id: str
    first_day: date
    last_day: date
    label: str


class AbsenceRemoved(_Internal):
    event_type: ClassVar[str] = "AbsenceRemoved"
    absence_id: str


class SlotHeld(_Internal):
    """A client reserved a slot while confirming: hidden from others until `expires_at`."""

    event_type: ClassVar[str] = "SlotHeld"
    hold_id: str
    client_id: str
    service_id: str
    starts_at: datetime
    blocked_until: datetime
    expires_at: datetime


class HoldReleased(_Internal):
    event_type: ClassVar[str] = "HoldReleased"
    hold_id: str


class GroupAppointmentDescribed(_Internal):
    """Title and description of a group appointment (shown to clients, free text: kept here)."""

    event_type: ClassVar[str] = "GroupAppointmentDescribed"
    group_appointment_id: str
    title: str
    description: str | None = None
    client_group_ids: tuple[str, ...] = ()


class WaitlistJoined(_Internal):
    """A client asks for an earlier slot of a service with this counselor (before `wanted_before`)."""

    event_type: ClassVar[str] = "WaitlistJoined"
    entry_id: str
    client_id: str
    service_id: str
    wanted_before: datetime


class WaitlistLeft(_Internal):
    event_type: ClassVar[str] = "WaitlistLeft"
    entry_id: str


CentreEvent = CentreRulesChanged | CounselingServiceDefined
INTERNAL_CALENDAR: list[type[_Internal]] = [
    CalendarOpened,
    CounselorProfileChanged,
    BookingTimesSet,
    AbsenceRecorded,
    AbsenceRemoved,
    SlotHeld,
    HoldReleased,
    GroupAppointmentDescribed,
    WaitlistJoined,
    WaitlistLeft,
]
CalendarEvent = DomainEvent | _Internal
