"""Public events of the appointments context (topic `appointments.calendar.v1`).

A calendar is one counselor's appointment book at one centre: stream id `<centre_id>:<counselor_id>`.
The events carry ids and times only: clients appear by their (pseudonymous) account id, never by
name; titles and descriptions of group appointments and absences' labels stay in the service.
Times are aware (UTC on the wire); `blocked_until` is the end plus the follow-up time.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from teilhabe_events.registry import DomainEvent, registry

AppointmentChannel = Literal["on_site", "phone", "chat", "video"]
Party = Literal["client", "staff"]


class _CalendarEvent(DomainEvent):
    service: ClassVar[str] = "appointments"
    stream_type: ClassVar[str] = "calendar"

    centre_id: str
    counselor_id: str


@registry.register
class SlotBooked(_CalendarEvent):
    """A client's appointment with a counselor is booked; every overlapping slot of the counselor is gone."""

    event_type: ClassVar[str] = "SlotBooked"
    booking_id: str
    client_id: str
    service_id: str
    channel: AppointmentChannel
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    booked_by: Party


@registry.register
class BookingCancelled(_CalendarEvent):
    """A booked appointment was cancelled by the client or by the centre's staff."""

    event_type: ClassVar[str] = "BookingCancelled"
    booking_id: str
    client_id: str
    starts_at: datetime
    cancelled_by: Party


@registry.register
class BookingRescheduled(_CalendarEvent):
    """A booked appointment moved to another slot of the same counselor and service."""

    event_type: ClassVar[str] = "BookingRescheduled"
    booking_id: str
    client_id: str
    previous_starts_at: datetime
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    rescheduled_by: Party


@registry.register
class GroupAppointmentScheduled(_CalendarEvent):
    """A group appointment (or an internal meeting when not bookable by clients) is in the calendar."""

    event_type: ClassVar[str] = "GroupAppointmentScheduled"
    group_appointment_id: str
    channel: AppointmentChannel
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    max_participants: int = Field(ge=1, le=500)
    bookable_by_clients: bool


@registry.register
class GroupAppointmentUpdated(_CalendarEvent):
    """A group appointment's time, channel or size changed; every participant is to be told."""

    event_type: ClassVar[str] = "GroupAppointmentUpdated"
    group_appointment_id: str
    channel: AppointmentChannel
    starts_at: datetime
    ends_at: datetime
    blocked_until: datetime
    max_participants: int = Field(ge=1, le=500)
    bookable_by_clients: bool
    participant_ids: list[str]


@registry.register
class GroupAppointmentCancelled(_CalendarEvent):
    """A group appointment was cancelled; every participant is to be told."""

    event_type: ClassVar[str] = "GroupAppointmentCancelled"
    group_appointment_id: str
    starts_at: datetime
    participant_ids: list[str]


@registry.register
class GroupParticipantAdded(_CalendarEvent):
    """A client took a seat of a group appointment (by themselves or added by staff)."""

    event_type: ClassVar[str] = "GroupParticipantAdded"
    group_appointment_id: str
    client_id: str
    added_by: Party


@registry.register
class GroupParticipantRemoved(_CalendarEvent):
    """A client left a group appointment (or was taken off by staff)."""

    event_type: ClassVar[str] = "GroupParticipantRemoved"
    group_appointment_id: str
    client_id: str
    removed_by: Party


@registry.register
class WaitlistOfferMade(_CalendarEvent):
    """A freed slot is offered to the first client on the waitlist, held for them until `expires_at`."""

    event_type: ClassVar[str] = "WaitlistOfferMade"
    entry_id: str
    client_id: str
    service_id: str
    starts_at: datetime
    blocked_until: datetime
    expires_at: datetime


@registry.register
class WaitlistOfferExpired(_CalendarEvent):
    """The client did not take the offered slot in time; it goes to the next in line or back to all."""

    event_type: ClassVar[str] = "WaitlistOfferExpired"
    entry_id: str
    client_id: str
    starts_at: datetime
