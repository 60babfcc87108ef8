"""Request and response models. Field names are English; messages for people are German."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from identity.domain.rules import overlapping
from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.contexts.identity import AccountRole, CentreRole, OrganisationKind, VerificationStep
from teilhabe_kit import postcodes
from teilhabe_kit.consent import ConsentForm, consent


def _postcode(value: str) -> str:
    if postcodes.lookup(value) is None:
        raise PydanticCustomError("postcode_unknown", "Diese Postleitzahl kennen wir nicht. Bitte prüfen Sie sie.")
    return value


def _phone(value: str) -> str:
    normalised = re.sub(r"[\s/\-()]", "", value)
    if not re.fullmatch(r"\+?[0-9]{6,20}", normalised):
        raise PydanticCustomError(
            "phone_invalid", "Bitte geben Sie eine Telefonnummer nur mit Ziffern (und + am Anfang) an."
        )
    return normalised


def _no_overlap(ranges: list[WeeklyRange]) -> list[WeeklyRange]:
    pair = overlapping(ranges)
    if pair:
        raise PydanticCustomError("ranges_overlap", "Zwei Zeiten am selben Wochentag überschneiden sich.")
    return ranges


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[EmailStr, Field(max_length=320), AfterValidator(str.lower)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
Postcode = Annotated[str, Field(pattern=r"^\d{5}$"), AfterValidator(_postcode)]
Introduction = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Password = Annotated[str, Field(min_length=1, max_length=128)]
Activities = Annotated[list[Activity], Field(max_length=len(Activity)), AfterValidator(_unique)]
Traits = Annotated[list[Trait], Field(max_length=len(Trait)), AfterValidator(_unique)]
Ranges = Annotated[list[WeeklyRange], Field(max_length=70), AfterValidator(_no_overlap)]
Radius = Annotated[float, Field(gt=0, le=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Consents(ConsentForm, Strict):
    """All four must be true (Datenschutz, Widerrufsrecht, AGB, Datenverarbeitung)."""

    privacy: Annotated[bool, consent("der Datenschutzerklärung", "the privacy policy")]
    withdrawal: Annotated[bool, consent("der Belehrung über Ihr Widerrufsrecht", "the notice of withdrawal rights")]
    terms: Annotated[bool, consent("den Allgemeinen Geschäftsbedingungen (AGB)", "the terms and conditions")]
    data_processing: Annotated[bool, consent("der Verarbeitung Ihrer Daten", "the processing of your data")]


class _Registration(Strict):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    postcode: Postcode
    introduction: Introduction | None = None
    consents: Consents
    password: Password


class SeekerRegistration(_Registration):
    needs: Activities = Field(default_factory=list, description="activities the person needs help with")
    time_windows: Ranges = Field(default_factory=list)


class AssistantRegistration(_Registration):
    activities: Annotated[list[Activity], Field(min_length=1, max_length=len(Activity)), AfterValidator(_unique)]
    availability: Ranges = Field(default_factory=list)
    radius_km: Radius
    traits: Traits = Field(default_factory=list)
    organisation_id: str | None = Field(default=None, max_length=64, description="the service provider to join")
    self_employed: bool = False


class StaffAccount(Strict):
    role: Literal[
        AccountRole.COORDINATOR,
        AccountRole.COUNSELOR,
        AccountRole.FACILITY_STAFF,
        AccountRole.GUARDIAN,
        AccountRole.ADMIN,
    ]
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    postcode: Postcode | None = None
    organisation_id: str | None = Field(default=None, max_length=64)


class Registered(BaseModel):
    account_id: str
    status: str


class RegistrationReceived(BaseModel):
    status: str = Field(description="always `received`: whether the contact was known is not told")
    detail: str


class Login(Strict):
    login: str = Field(min_length=1, max_length=320, description="e-mail address or phone number")
    password: Password
    centre_id: str | None = Field(
        default=None, max_length=64, description="staff of several counseling centres: the centre to act for"
    )


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str
    account_id: str
    must_change_password: bool = Field(
        default=False, description="the password was set by someone else (a counselor): change it first"
    )


class ResetRequest(Strict):
    login: str = Field(min_length=1, max_length=320)


class ResetConfirm(Strict):
    token: str = Field(min_length=1, max_length=200)
    password: Password


class PasswordChange(Strict):
    current_password: Password
    new_password: Password


class StepIn(Strict):
    step: VerificationStep
    reason: Reason


class ReasonIn(Strict):
    reason: Reason


class ContactIn(Strict):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    introduction: Introduction | None = None


class LoginNameIn(Strict):
    login_name: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=3, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
    ] = Field(description="3–40 letters, digits, `.`, `_` or `-`, with at least one letter (case does not count)")

    @field_validator("login_name")
    @classmethod
    def _a_letter(cls, value: str) -> str:
        if not any(ch.isalpha() for ch in value):
            raise ValueError("Der Login-Name braucht mindestens einen Buchstaben.")
        return value


class ActivitiesIn(Strict):
    activities: Activities


class RangesIn(Strict):
    ranges: Ranges


class PlaceIn(Strict):
    postcode: Postcode
    radius_km: Radius | None = None


class TraitsIn(Strict):
    traits: Traits


class GuardianIn(Strict):
    guardian_id: str = Field(max_length=64)
    birth_date: date = Field(description="the ward's birth date (kept sealed)")


class OrganisationIn(Strict):
    kind: OrganisationKind
    name: Name
    postcode: Postcode


class Organisation(BaseModel):
    id: str
    kind: OrganisationKind
    name: str
    postcode: str


class Step(BaseModel):
    step: VerificationStep
    reason: str | None
    recorded_by: str
    recorded_at: datetime


class Verification(BaseModel):
    account_id: str
    status: str
    required: list[VerificationStep]
    completed: list[Step]
    missing: list[VerificationStep]


class Contact(BaseModel):
    email: str | None
    phone: str | None
    via_guardian: str | None = Field(
        default=None, description="internal API: a minor is reached through this guardian's contact"
    )


class InternalAccount(BaseModel):
    """What trusted services (messaging, contracts) need to address a person."""

    id: str
    role: AccountRole
    status: str
    name: str | None
    organisation_id: str | None
    email: str | None
    phone: str | None


class AssistantCard(BaseModel):
    """What any signed-in person may see of an active assistant (e.g. a seeker choosing one)."""

    id: str
    first_name: str | None
    introduction: str | None
    organisation_id: str | None
    self_employed: bool
    activities: list[Activity]
    traits: list[Trait]
    place: CoarsePlace | None = Field(
        default=None, description="where the assistant lives, rounded to about 1 km (for the distance to an order)"
    )


class AccountOut(BaseModel):
    id: str
    role: AccountRole
    status: str
    locked: bool
    erase_after: date | None
    organisation_id: str | None
    self_employed: bool
    name: str | None
    introduction: str | None
    postcode: str | None
    radius_km: float | None
    activities: list[Activity] = Field(description="assistants: offered; seekers: needs")
    ranges: list[WeeklyRange] = Field(description="assistants: availability; seekers: time windows")
    traits: list[Trait]
    contact: Contact | None = Field(description="only for admins and the person")
    consents: list[dict] | None = Field(description="kind, version, given_at; only for admins and the person")
    refusal_reason: str | None = Field(default=None, description="only for admins")
    lock_reason: str | None = Field(default=None, description="only for admins")
    created_at: datetime


class AccountPage(BaseModel):
    items: list[AccountOut]
    total: int
    limit: int
    offset: int


class Deletion(BaseModel):
    account_id: str
    erase_after: date


class JobReportOut(BaseModel):
    erased: list[str]
    guardianships_ended: list[tuple[str, str]]
    forgotten: int


class ResetDelivery(BaseModel):
    request_id: str
    account_id: str
    email: str | None
    phone: str | None
    token: str
    link: str
    expires_at: datetime


class Guardianship(BaseModel):
    ward_id: str
    guardian_id: str
    acts_until: date


class CentreMembership(BaseModel):
    centre_id: str
    role: CentreRole
    joined: bool
    invited_at: datetime
    joined_at: datetime | None


class DataExport(BaseModel):
    """Everything identity keeps about a person (DSGVO Art. 15 and 20)."""

    account: AccountOut
    verification_steps: list[Step]
    guardianships: list[Guardianship]
    centre_memberships: list[CentreMembership] = Field(description="teams of counseling centres, invitations included")
    active_sessions: int
    exported_at: datetime


class HistoryEntry(BaseModel):
    """One event of a person's account stream, as customer service may see it."""

    version: int
    event_type: str
    occurred_at: datetime
    actor_role: str = Field(description="self, the role of the acting account, or system")
    reason: str | None = Field(description="the recorded reason (verification step, refusal, lock)")
    details: dict[str, str | bool] = Field(description="plain facts: role, step, organisation, dates, guardian")


class InvitationIn(Strict):
    name: Name
    email: Email
    role: CentreRole


class InvitationOut(BaseModel):
    account_id: str
    invitation_id: str
    expires_at: datetime


class RoleIn(Strict):
    role: CentreRole


class TeamMember(BaseModel):
    account_id: str
    name: str | None
    email: str | None
    role: CentreRole
    state: Literal["joined", "invited", "expired"]
    expires_at: datetime | None = Field(description="until when an invitation is valid")
    joined_at: datetime | None


class Team(BaseModel):
    centre_id: str
    name: str
    agreement_signed: bool
    seats: int | None = Field(description="team members the centre may have (None: not set yet)")
    seats_taken: int = Field(description="joined members plus invitations not yet expired")
    members: list[TeamMember]


class SeatRequestIn(Strict):
    seats: int = Field(ge=1, le=10_000, description="seats needed in total")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None


class SeatRequest(BaseModel):
    request_id: str
    centre_id: str
    centre_name: str
    seats: int = Field(description="seats asked for in total")
    current_seats: int | None
    note: str | None
    requested_by: str
    requested_at: datetime


class InvitationToken(Strict):
    token: str = Field(min_length=1, max_length=200)


class InvitationAcceptance(Strict):
    token: str = Field(min_length=1, max_length=200)
    password: Password | None = Field(default=None, description="required when the account has no password yet")


class InvitationPreview(BaseModel):
    centre_id: str
    centre_name: str
    role: CentreRole
    needs_password: bool
    expires_at: datetime


class Joined(BaseModel):
    account_id: str
    centre_id: str
    role: CentreRole


class CentreSwitch(Strict):
    refresh_token: str = Field(min_length=1, max_length=200)
    centre_id: str = Field(min_length=1, max_length=64)


class MyCentre(BaseModel):
    centre_id: str
    name: str
    role: CentreRole
