"""Request and response bodies of the appointments API (times ISO 8601 with zone)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from appointments.domain.values import BookingTime, CentreRules, Channel
from teilhabe_events.centre_catalogue import Topic

Id = str


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RulesIn(_In):
    horizon_weeks: Literal[1, 2, 4, 8] = Field(4, description="how far ahead slots are offered")
    region: str | None = Field(None, pattern=r"^(BW|BY|BE|BB|HB|HH|HE|MV|NI|NW|RP|SL|SN|ST|SH|TH)$")
    notice_hours: int = Field(24, ge=0, le=24 * 14)
    hold_minutes: int = Field(10, ge=2, le=60)
    lead_minutes: int = Field(60, ge=0, le=24 * 60 * 7)
    offer_minutes: int = Field(60, ge=5, le=24 * 60)
    closing_days: list[date] = Field([], max_length=366)

    def rules(self) -> CentreRules:
        return CentreRules(**(self.model_dump() | {"closing_days": tuple(sorted(set(self.closing_days)))}))


class ServiceIn(_In):
    name: str = Field(min_length=1, max_length=120, description="internal, not shown to clients")
    duration_minutes: int = Field(gt=0, le=8 * 60)
    follow_up_minutes: int = Field(0, ge=0, le=4 * 60)
    channel: Channel
    reason: Topic | None = None
    description: str | None = Field(None, max_length=2000, description="shown to clients")
    address: str | None = Field(None, max_length=300)
    only_regular_clients: bool = False

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


class ServiceOut(ServiceIn):
    service_id: Id
    retired: bool = False


class PublicServiceOut(BaseModel):
    service_id: Id
    duration_minutes: int
    channel: Channel
    channel_de: str
    channel_en: str
    reason: Topic | None
    description: str | None
    address: str | None
    only_regular_clients: bool


class ProfileIn(_In):
    display_name: str = Field(min_length=1, max_length=120, description="what clients see (may be a pseudonym)")
    only_regular_clients: bool = False
    video_url: str | None = Field(None, max_length=500, pattern=r"^https://")


class BookingTimeIn(_In):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: time
    end: time
    service_id: Id = Field(min_length=1, max_length=100)

    def value(self) -> BookingTime:
        return BookingTime(**self.model_dump())


class BookingTimesIn(_In):
    booking_times: list[BookingTimeIn] = Field(max_length=200)


class AbsenceIn(_In):
    first_day: date
    last_day: date
    label: str = Field(min_length=1, max_length=120, description="seen by the centre's staff only")


class BookingOut(BaseModel):
    booking_id: Id
    centre_id: Id
    counselor_id: Id
    client_id: Id
    service_id: Id
    channel: str
    starts_at: datetime
    ends_at: datetime
    status: str


class AbsenceCreated(BaseModel):
    absence_id: Id
    bookings_to_move: list[BookingOut]


class HoldIn(_In):
    service_id: Id = Field(min_length=1, max_length=100)
    counselor_id: Id | None = Field(None, max_length=100, description="null: any counselor")
    starts_at: AwareDatetime


class HoldOut(BaseModel):
    hold_id: Id
    counselor_id: Id
    expires_at: datetime


class BookIn(_In):
    """Either confirm a hold (`hold_id` + `counselor_id`) or book a slot directly."""

    hold_id: Id | None = Field(None, max_length=120)
    service_id: Id | None = Field(None, max_length=100)
    counselor_id: Id | None = Field(None, max_length=100)
    starts_at: AwareDatetime | None = None
    client_id: Id | None = Field(None, max_length=100, description="staff booking for a client")


class BookingCreated(BaseModel):
    booking_id: Id
    counselor_id: Id
    ics_url: str


class RescheduleIn(_In):
    starts_at: AwareDatetime


class SlotOut(BaseModel):
    counselor_id: Id
    service_id: Id
    starts_at: datetime
    ends_at: datetime


class CounselorOut(BaseModel):
    counselor_id: Id
    display_name: str
    only_regular_clients: bool


class GroupIn(_In):
    title: str = Field(min_length=1, max_length=200, description="shown to clients")
    description: str | None = Field(None, max_length=2000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    follow_up_minutes: int = Field(0, ge=0, le=240)
    channel: Channel
    max_participants: int = Field(ge=1, le=500)
    bookable_by_clients: bool = False
    client_group_ids: list[Id] = Field([], max_length=50)


class GroupOut(BaseModel):
    group_appointment_id: Id
    centre_id: Id
    counselor_id: Id
    title: str
    description: str | None
    channel: str
    starts_at: datetime
    ends_at: datetime
    max_participants: int
    seats_left: int
    bookable_by_clients: bool
    participants: list[Id] | None = Field(None, description="staff only")


class ParticipantIn(_In):
    client_id: Id | None = Field(None, max_length=100, description="staff adding a client; clients leave it out")


class WaitlistIn(_In):
    service_id: Id = Field(min_length=1, max_length=100)
    wanted_before: AwareDatetime


class Created(BaseModel):
    id: Id


class WaitlistOut(BaseModel):
    entry_id: Id
    centre_id: Id
    counselor_id: Id
    service_id: Id
    wanted_before: datetime
    offered_starts_at: datetime | None
    offer_expires_at: datetime | None


class MyAppointments(BaseModel):
    bookings: list[BookingOut]
    groups: list[GroupOut]
    waitlist: list[WaitlistOut]


class DayOff(BaseModel):
    day: date
    kind: Literal["holiday", "closing_day", "absence"]
    label: str
    counselor_id: Id | None = None


class CalendarOut(BaseModel):
    """The staff's calendar of a period: bookings, group appointments, days off and free slots."""

    bookings: list[BookingOut]
    groups: list[GroupOut]
    days_off: list[DayOff]
    free_slots: list[SlotOut]


class CalendarSetup(BaseModel):
    counselor_id: Id
    display_name: str
    only_regular_clients: bool
    video_url: str | None
    booking_times: list[BookingTimeIn]
    absences: list[dict[str, str]]
