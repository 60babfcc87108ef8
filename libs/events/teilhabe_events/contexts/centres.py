"""Public events of the centres context (topic `centres.centre.v1`, stream id = centre id).

The centre id is identity's organisation id (kind `counseling_centre`): centres makes it when a
platform admin records a centre's interest, identity creates the organisation from
`CentreInterestRecorded`. A centre's name, address and contact data are an organisation's, not a
person's, and the public directory shows them. The agreement's signatory is a person: their name
stays sealed in the centres service and is never on Kafka.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events.centre_catalogue import AccessibilityFact, CentreFunction, Channel, Language, TargetGroup, Topic
from teilhabe_events.contexts.common import Latitude, Longitude, WeeklyRange
from teilhabe_events.registry import DomainEvent, registry

Postcode = Annotated[str, Field(pattern=r"^\d{5}$")]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Address(_Value):
    street: str = Field(min_length=1, max_length=200)
    postcode: Postcode
    city: str = Field(min_length=1, max_length=100)


class Location(_Value):
    """Where the centre is (an organisation's address: precise coordinates are public)."""

    lat: Latitude
    lon: Longitude


class ServiceArea(_Value):
    """Where the centre is responsible: listed postcodes and/or everything within `radius_km`."""

    postcodes: list[Postcode] = Field(default=[], max_length=1000)
    radius_km: float | None = Field(default=None, gt=0, le=200)


class OpeningHours(_Value):
    """Weekly ranges (Europe/Berlin) and the days the centre is closed."""

    weekly: list[WeeklyRange] = Field(default=[], max_length=60)
    closed_on: list[date] = Field(default=[], max_length=200)


class Contact(_Value):
    """The centre's own contact data (never a staff member's)."""

    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=500)


class ExternalLinks(_Value):
    """Booking or counseling tools the centre already uses elsewhere."""

    booking_url: str | None = Field(default=None, max_length=500)
    counseling_url: str | None = Field(default=None, max_length=500)


class CentreProfile(_Value):
    """Everything the public directory shows of a centre."""

    name: str = Field(min_length=1, max_length=200)
    provider: str = Field(min_length=1, max_length=200, description="Träger")
    description: str | None = Field(default=None, max_length=2000)
    address: Address
    location: Location
    service_area: ServiceArea
    topics: list[Topic] = Field(max_length=len(Topic))
    target_groups: list[TargetGroup] = Field(default=[], max_length=len(TargetGroup))
    languages: list[Language] = Field(max_length=len(Language))
    accessibility: list[AccessibilityFact] = Field(default=[], max_length=len(AccessibilityFact))
    opening_hours: OpeningHours = OpeningHours()
    channels: list[Channel] = Field(max_length=len(Channel))
    contact: Contact
    links: ExternalLinks = ExternalLinks()


class _CentreEvent(DomainEvent):
    service: ClassVar[str] = "centres"
    stream_type: ClassVar[str] = "centre"


@registry.register
class CentreInterestRecorded(_CentreEvent):
    """A platform admin recorded a centre's interest: the centre (and identity's organisation) exists."""

    event_type: ClassVar[str] = "CentreInterestRecorded"
    name: str = Field(min_length=1, max_length=200)
    postcode: Postcode
    recorded_by: str


@registry.register
class ProcessingAgreementSigned(_CentreEvent):
    """The data-processing agreement (Auftragsverarbeitung) is signed on both sides."""

    event_type: ClassVar[str] = "ProcessingAgreementSigned"
    version: str = Field(min_length=1, max_length=40)
    signed_on: date


@registry.register
class CentreFunctionsChanged(_CentreEvent):
    """The functions switched on for the centre (the directory is always among them)."""

    event_type: ClassVar[str] = "CentreFunctionsChanged"
    functions: list[CentreFunction] = Field(min_length=1, max_length=len(CentreFunction))


@registry.register
class CentreSeatsChanged(_CentreEvent):
    """How many staff logins (licences) the centre may have; identity refuses invitations beyond."""

    event_type: ClassVar[str] = "CentreSeatsChanged"
    seats: int = Field(ge=0, le=10_000)


@registry.register
class CentreProfileChanged(_CentreEvent):
    """The centre's public profile as it now is (complete state, `revision` counts the changes)."""

    event_type: ClassVar[str] = "CentreProfileChanged"
    revision: int = Field(ge=1)
    catalogue_version: int = Field(ge=1)
    profile: CentreProfile


@registry.register
class CentreListed(_CentreEvent):
    """The centre is shown in the public finder (agreement signed and profile complete)."""

    event_type: ClassVar[str] = "CentreListed"


@registry.register
class CentreDelisted(_CentreEvent):
    """The centre is no longer shown in the public finder."""

    event_type: ClassVar[str] = "CentreDelisted"
    by: Literal["platform", "centre"]
