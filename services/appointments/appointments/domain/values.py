"""Values of the appointment book: counseling services, booking times, the centre's rules.

Times of day are local (Europe/Berlin); moments are aware datetimes (stored in UTC).
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.centre_catalogue import Topic

HORIZON_WEEKS = (1, 2, 4, 8)
"""How far ahead slots are offered (the centre's choice; never beyond 8 weeks)."""


class Channel(StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    CHAT = "chat"
    VIDEO = "video"


CHANNEL_LABELS: dict[Channel, tuple[str, str]] = {
    Channel.ON_SITE: ("Vor Ort", "On site"),
    Channel.PHONE: ("Telefon", "Phone"),
    Channel.CHAT: ("Chat", "Chat"),
    Channel.VIDEO: ("Video", "Video"),
}


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CounselingService(_Value):
    """A Beratungsleistung: what a slot is for, how long it lasts and what follows it."""

    service_id: str
    name: str = Field(description="internal name, not shown to clients")
    duration_minutes: int
    follow_up_minutes: int = 0
    channel: Channel
    reason: Topic | None = None
    description: str | None = Field(default=None, description="shown to clients")
    address: str | None = Field(default=None, description="where on-site appointments take place")
    only_regular_clients: bool = False
    retired: bool = False

    @property
    def block_minutes(self) -> int:
        """Minutes one appointment takes from the counselor's day (duration + follow-up)."""
        return self.duration_minutes + self.follow_up_minutes


class BookingTime(_Value):
    """A weekly range in which a counselor offers slots of one service."""

    weekday: int = Field(ge=0, le=6)
    start: time
    end: time
    service_id: str


class CentreRules(_Value):
    """The centre's booking settings."""

    horizon_weeks: Literal[1, 2, 4, 8] = 4
    region: str | None = Field(default=None, description="state code (e.g. NI) for its public holidays")
    notice_hours: int = Field(default=24, description="clients cancel or reschedule until this many hours before")
    hold_minutes: int = Field(default=10, description="a slot stays reserved this long while the client confirms")
    lead_minutes: int = Field(default=60, description="the earliest slot starts this many minutes from now")
    offer_minutes: int = Field(default=60, description="a waitlist offer is held this long for the client")
    closing_days: tuple[date, ...] = ()
