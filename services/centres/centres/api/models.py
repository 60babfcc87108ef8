"""Request and response models of the centres API.

Input is checked here so that a 422 names the field: unknown postcodes, overlapping opening
hours, links that are not web addresses, a radius out of range.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from centres import places
from centres.domain.hours import first_overlap
from centres.domain.state import OnboardingStatus
from teilhabe_events.centre_catalogue import AccessibilityFact, CentreFunction, Channel, Language, TargetGroup, Topic
from teilhabe_events.contexts.centres import (
    Address,
    CentreProfile,
    Contact,
    ExternalLinks,
    Location,
    OpeningHours,
    ServiceArea,
)

T = TypeVar("T")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()/\-]{5,40}$")
WEB = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def known_postcode(value: str) -> str:
    if places.coordinates(value) is None:
        raise ValueError("Diese Postleitzahl kennen wir nicht.")
    return value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InterestIn(_In):
    name: str = Field(min_length=1, max_length=200, description="the centre's name (an organisation's)")
    postcode: str = Field(pattern=r"^\d{5}$")

    _postcode = field_validator("postcode")(known_postcode)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Bitte geben Sie einen Namen an.")
        return value.strip()


class AgreementIn(_In):
    version: str = Field(min_length=1, max_length=40, description="version of the agreement text")
    signed_on: date
    signatory: str = Field(min_length=1, max_length=200, description="who signed for the centre (kept sealed)")


class FunctionsIn(_In):
    functions: list[CentreFunction] = Field(min_length=1, max_length=len(CentreFunction))


class SeatsIn(_In):
    seats: int = Field(ge=0, le=10_000)


class AddressIn(Address):
    _postcode = field_validator("postcode")(known_postcode)


class ServiceAreaIn(ServiceArea):
    @field_validator("postcodes")
    @classmethod
    def _postcodes(cls, values: list[str]) -> list[str]:
        unknown = [p for p in values if places.coordinates(p) is None]
        if unknown:
            raise ValueError(f"Diese Postleitzahlen kennen wir nicht: {', '.join(unknown[:5])}.")
        return list(dict.fromkeys(values))


class OpeningHoursIn(OpeningHours):
    @field_validator("weekly")
    @classmethod
    def _no_overlap(cls, values: list) -> list:
        index = first_overlap(values)
        if index is not None:
            raise ValueError(f"Die Öffnungszeit Nr. {index + 1} überschneidet sich mit einer anderen.")
        return sorted(values, key=lambda r: (r.weekday, r.start))

    @field_validator("closed_on")
    @classmethod
    def _days(cls, values: list[date]) -> list[date]:
        return sorted(set(values))


class ContactIn(Contact):
    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not PHONE.match(value.strip()):
            raise ValueError("Bitte geben Sie eine Telefonnummer aus Ziffern an (z. B. 0551 123456).")
        return value.strip() if value else None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value.strip()):
            raise ValueError("Bitte geben Sie eine gültige E-Mail-Adresse an.")
        return value.strip() if value else None

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return _web(value)


def _web(value: str | None) -> str | None:
    if value is not None and not WEB.match(value.strip()):
        raise ValueError("Bitte geben Sie eine Webadresse an, die mit https:// beginnt.")
    return value.strip() if value else None


class LinksIn(ExternalLinks):
    _booking = field_validator("booking_url")(_web)
    _counseling = field_validator("counseling_url")(_web)


class ProfileIn(_In):
    """A centre's whole public profile; `location` defaults to the centre of the address's postcode."""

    name: str = Field(min_length=1, max_length=200)
    provider: str = Field(min_length=1, max_length=200, description="Träger")
    description: str | None = Field(default=None, max_length=2000)
    address: AddressIn
    location: Location | None = None
    service_area: ServiceAreaIn
    topics: list[Topic] = Field(max_length=len(Topic))
    target_groups: list[TargetGroup] = Field(default=[], max_length=len(TargetGroup))
    languages: list[Language] = Field(max_length=len(Language))
    accessibility: list[AccessibilityFact] = Field(default=[], max_length=len(AccessibilityFact))
    opening_hours: OpeningHoursIn = OpeningHoursIn()
    channels: list[Channel] = Field(max_length=len(Channel))
    contact: ContactIn
    links: LinksIn = LinksIn()

    def profile(self) -> CentreProfile:
        """The profile to record (lists without repeats, the location from the postcode if not given)."""
        location = self.location
        if location is None:
            lat, lon = places.coordinates(self.address.postcode) or (0.0, 0.0)
            location = Location(lat=round(lat, 5), lon=round(lon, 5))
        data = self.model_dump(mode="json", exclude={"location"})
        for key in ("topics", "target_groups", "languages", "accessibility", "channels"):
            data[key] = list(dict.fromkeys(data[key]))
        return CentreProfile.model_validate(data | {"location": location.model_dump()})


class RegionFallbackIn(_In):
    centre_id: str = Field(min_length=1, max_length=200)


class Created(BaseModel):
    centre_id: str
    version: int


class AgreementOut(BaseModel):
    version: str
    signed_on: date
    signatory: str | None = Field(description="only for platform admins and the centre's admins")


class CentreOut(BaseModel):
    """A centre as its staff and the platform admin see it (internal)."""

    centre_id: str
    name: str
    postcode: str
    status: OnboardingStatus
    agreement: AgreementOut | None
    functions: list[CentreFunction]
    seats: int
    revision: int
    profile: CentreProfile | None
    missing: list[str] = Field(description="what the profile lacks before the centre can be listed")
    version: int


class CentreListItem(BaseModel):
    centre_id: str
    name: str
    postcode: str
    status: OnboardingStatus
    agreement_version: str | None
    agreement_signed_on: date | None
    functions: list[CentreFunction]
    seats: int
    missing: list[str]
    version: int
    updated_at: datetime


class HistoryEntry(BaseModel):
    version: int
    at: datetime
    actor_id: str | None
    event_type: str
    changed: list[str] = Field(description="the profile fields this change touched")
    de: str
    en: str


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


class ReasonOut(BaseModel):
    kind: str
    code: str | None
    de: str
    en: str


class PublicCentre(BaseModel):
    """A listed centre as everybody sees it (no staff, no internal data)."""

    centre_id: str
    name: str
    provider: str
    description: str | None
    address: Address
    location: Location
    service_area: ServiceArea
    topics: list[Topic]
    target_groups: list[TargetGroup]
    languages: list[Language]
    accessibility: list[AccessibilityFact]
    opening_hours: OpeningHours
    channels: list[Channel]
    contact: Contact
    links: ExternalLinks
    functions: list[CentreFunction]
    open_now: bool
    updated_at: datetime


class FinderHit(PublicCentre):
    distance_km: float
    covers: bool = Field(description="the centre's service area covers the searched place")
    reasons: list[ReasonOut]
    reasons_de: str
    reasons_en: str


class SearchedPlace(BaseModel):
    postcode: str | None
    name: str | None
    region: str | None
    lat: float
    lon: float


class FinderPage(BaseModel):
    place: SearchedPlace
    items: list[FinderHit]
    total: int
    page: int
    page_size: int
    white_spot: bool = Field(description="no listed centre's service area covers the place")
    fallback: FinderHit | None = Field(description="the region's fallback centre, shown for a white spot")


class PlaceOut(BaseModel):
    postcode: str
    name: str
    region: str
    region_name: str


class RegionOut(BaseModel):
    region: str
    name: str
    fallback_centre_id: str | None


Lang = Literal["de", "en"]
