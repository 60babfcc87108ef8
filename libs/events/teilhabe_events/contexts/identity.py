"""Public events of the identity context (topics `identity.account.v1`, `identity.organisation.v1`).

Staff of counseling centres: `StaffInvited`, `StaffJoined`, `StaffRoleChanged`, `StaffRemoved` (ids and
roles only). Only ids and non-personal facts: no names, contacts, free text or health-related needs. Those stay
in identity's database (sealed) and are served by its API to those allowed to see them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.registry import DomainEvent, registry


class AccountRole(StrEnum):
    SEEKER = "seeker"
    ASSISTANT = "assistant"
    COORDINATOR = "coordinator"
    COUNSELOR = "counselor"
    CENTRE_ADMIN = "centre_admin"
    FACILITY_STAFF = "facility_staff"
    GUARDIAN = "guardian"
    ADMIN = "admin"
    CLIENT = "client"
    """Ratsuchende:r of one counseling centre (`organisation_id` = the centre), known by a pseudonym."""


class VerificationStep(StrEnum):
    INTRO_CALL = "intro_call"
    ID_DOCUMENT = "id_document"
    POLICE_CERTIFICATE = "police_certificate"
    MEASLES_PROTECTION = "measles_protection"
    PROVIDER_INTERVIEW = "provider_interview"
    PROVIDER_ACCEPTANCE = "provider_acceptance"
    SELF_EMPLOYMENT_PROOF = "self_employment_proof"


class OrganisationKind(StrEnum):
    SERVICE_PROVIDER = "service_provider"
    COUNSELING_CENTRE = "counseling_centre"
    FACILITY = "facility"


class _AccountEvent(DomainEvent):
    service: ClassVar[str] = "identity"
    stream_type: ClassVar[str] = "account"


class _OrganisationEvent(DomainEvent):
    service: ClassVar[str] = "identity"
    stream_type: ClassVar[str] = "organisation"


@registry.register
class AccountRegistered(_AccountEvent):
    """A person registered; the account waits for verification. Stream id = account id."""

    event_type: ClassVar[str] = "AccountRegistered"
    role: AccountRole
    organisation_id: str | None = Field(default=None, description="provider to join (assistants)")
    self_employed: bool = False


@registry.register
class VerificationStepCompleted(_AccountEvent):
    """Customer service recorded a verification step (the reason stays in identity)."""

    event_type: ClassVar[str] = "VerificationStepCompleted"
    step: VerificationStep
    recorded_by: str


@registry.register
class AccountActivated(_AccountEvent):
    """All required steps are complete: the person may use the platform."""

    event_type: ClassVar[str] = "AccountActivated"
    role: AccountRole
    activated_by: str


@registry.register
class AccountRefused(_AccountEvent):
    """Verification was refused (the reason stays in identity)."""

    event_type: ClassVar[str] = "AccountRefused"
    refused_by: str


@registry.register
class AccountLocked(_AccountEvent):
    event_type: ClassVar[str] = "AccountLocked"
    locked_by: str


@registry.register
class AccountUnlocked(_AccountEvent):
    event_type: ClassVar[str] = "AccountUnlocked"
    unlocked_by: str


@registry.register
class AccountDeletionRequested(_AccountEvent):
    """The account is marked for deletion: login refused, erasure after `erase_after`."""

    event_type: ClassVar[str] = "AccountDeletionRequested"
    erase_after: date


@registry.register
class AccountRestored(_AccountEvent):
    """A deletion was undone before erasure."""

    event_type: ClassVar[str] = "AccountRestored"


@registry.register
class AccountErased(_AccountEvent):
    """The person's data is erased: every service destroys its key for this person now."""

    event_type: ClassVar[str] = "AccountErased"


@registry.register
class ActivitiesChanged(_AccountEvent):
    """The activities an assistant offers."""

    event_type: ClassVar[str] = "ActivitiesChanged"
    activities: list[Activity]


@registry.register
class AvailabilityChanged(_AccountEvent):
    """The weekly availability of an assistant (Europe/Berlin local time, no overlaps)."""

    event_type: ClassVar[str] = "AvailabilityChanged"
    ranges: list[WeeklyRange]


@registry.register
class PlaceChanged(_AccountEvent):
    """Home place (rounded to ~1 km) and, for assistants, how far they travel."""

    event_type: ClassVar[str] = "PlaceChanged"
    place: CoarsePlace
    radius_km: float | None = Field(default=None, gt=0, le=200)


@registry.register
class TraitsChanged(_AccountEvent):
    """The traits of an assistant (languages, driving licence, …)."""

    event_type: ClassVar[str] = "TraitsChanged"
    traits: list[Trait]


@registry.register
class MembershipApproved(_AccountEvent):
    """The account belongs to an organisation (assistant or coordinator of a provider, …)."""

    event_type: ClassVar[str] = "MembershipApproved"
    organisation_id: str
    role: AccountRole


@registry.register
class MembershipEnded(_AccountEvent):
    event_type: ClassVar[str] = "MembershipEnded"
    organisation_id: str


@registry.register
class GuardianAssigned(_AccountEvent):
    """A guardian acts for this (minor) account until `acts_until` (30 days after the 18th birthday)."""

    event_type: ClassVar[str] = "GuardianAssigned"
    guardian_id: str
    acts_until: date


@registry.register
class GuardianshipEnded(_AccountEvent):
    event_type: ClassVar[str] = "GuardianshipEnded"
    guardian_id: str


@registry.register
class PasswordResetRequested(_AccountEvent):
    """A reset link must be delivered; messaging fetches the one-time token from identity."""

    event_type: ClassVar[str] = "PasswordResetRequested"
    request_id: str


class CentreRole(StrEnum):
    """The roles a person holds in one counseling centre's team."""

    CENTRE_ADMIN = "centre_admin"
    COUNSELOR = "counselor"


@registry.register
class StaffInvited(_AccountEvent):
    """A person was invited into a counseling centre's team. Stream id = the invited account.

    Messaging fetches the one-time invitation link for `invitation_id` from identity (never on Kafka).
    """

    event_type: ClassVar[str] = "StaffInvited"
    centre_id: str
    role: CentreRole
    invitation_id: str
    invited_by: str
    expires_at: datetime


@registry.register
class StaffJoined(_AccountEvent):
    """The person accepted the invitation: a member of the centre's team with `role`."""

    event_type: ClassVar[str] = "StaffJoined"
    centre_id: str
    role: CentreRole


@registry.register
class StaffRoleChanged(_AccountEvent):
    event_type: ClassVar[str] = "StaffRoleChanged"
    centre_id: str
    role: CentreRole
    changed_by: str


@registry.register
class StaffRemoved(_AccountEvent):
    """The person no longer belongs to the centre's team (or the invitation was withdrawn)."""

    event_type: ClassVar[str] = "StaffRemoved"
    centre_id: str
    removed_by: str


@registry.register
class SignUpRepeated(_AccountEvent):
    """Someone signed up again with this account's e-mail address or phone number (the sign-up got
    the same answer as a new one). Messaging tells the owner that the account exists, how to sign in,
    and with the reset link (fetched like a reset's) how to set a new password."""

    event_type: ClassVar[str] = "SignUpRepeated"
    request_id: str


@registry.register
class OrganisationCreated(_OrganisationEvent):
    """An organisation (names and places of organisations are not personal data)."""

    event_type: ClassVar[str] = "OrganisationCreated"
    kind: OrganisationKind
    name: str = Field(max_length=200)
    postcode: str = Field(pattern=r"^\d{5}$")
    created_by: str
