"""Identity's internal events (its own event store). Finer than the public ones, and personal
fields (listed in `sealed`) are sealed with the person's key before they are stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.contexts.identity import AccountRole, CentreRole, OrganisationKind, VerificationStep


class Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    sealed: ClassVar[tuple[str, ...]] = ()
    """Personal fields (all optional): sealed in the event store, None once the person is erased."""
    sealed_json: ClassVar[tuple[str, ...]] = ()
    """Those sealed fields that are not text: stored as sealed JSON."""


class Consent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str
    version: str
    given_at: datetime


class Registered(Event):
    event_type: ClassVar[str] = "Registered"
    sealed: ClassVar[tuple[str, ...]] = ("name", "email", "phone", "introduction", "postcode", "needs", "time_windows")
    sealed_json: ClassVar[tuple[str, ...]] = ("needs", "time_windows")
    role: AccountRole
    organisation_id: str | None = None
    self_employed: bool = False
    created_by: str | None = None  # an admin who created a staff account
    consents: tuple[Consent, ...] = ()
    name: str | None
    email: str | None = None
    phone: str | None = None
    introduction: str | None = None
    postcode: str | None = None
    place: CoarsePlace | None = None
    radius_km: float | None = None
    activities: tuple[Activity, ...] = ()  # assistants: offered (public)
    ranges: tuple[WeeklyRange, ...] = ()  # assistants: weekly availability (public)
    traits: tuple[Trait, ...] = ()
    needs: tuple[Activity, ...] | None = None  # seekers: support needs (health-related, sealed)
    time_windows: tuple[WeeklyRange, ...] | None = None  # seekers (sealed)


class StepRecorded(Event):
    event_type: ClassVar[str] = "StepRecorded"
    sealed: ClassVar[tuple[str, ...]] = ("reason",)
    step: VerificationStep
    reason: str | None
    recorded_by: str


class Activated(Event):
    event_type: ClassVar[str] = "Activated"
    activated_by: str


class Refused(Event):
    event_type: ClassVar[str] = "Refused"
    sealed: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str | None
    refused_by: str


class MembershipApproved(Event):
    event_type: ClassVar[str] = "MembershipApproved"
    organisation_id: str
    role: AccountRole


class MembershipEnded(Event):
    event_type: ClassVar[str] = "MembershipEnded"
    organisation_id: str
    ended_by: str


class Locked(Event):
    event_type: ClassVar[str] = "Locked"
    sealed: ClassVar[tuple[str, ...]] = ("reason",)
    reason: str | None
    locked_by: str


class Unlocked(Event):
    event_type: ClassVar[str] = "Unlocked"
    unlocked_by: str


class DeletionRequested(Event):
    event_type: ClassVar[str] = "DeletionRequested"
    erase_after: date
    requested_by: str


class Restored(Event):
    event_type: ClassVar[str] = "Restored"
    restored_by: str


class Erased(Event):
    event_type: ClassVar[str] = "Erased"


class ContactChanged(Event):
    event_type: ClassVar[str] = "ContactChanged"
    sealed: ClassVar[tuple[str, ...]] = ("name", "email", "phone", "introduction")
    name: str | None
    email: str | None = None
    phone: str | None = None
    introduction: str | None = None


class LoginNameChanged(Event):
    """A staff member's own login name (Login-Name, sign-in besides the e-mail address): unique across
    staff, case-folded; the old name stops working at once."""

    event_type: ClassVar[str] = "LoginNameChanged"
    sealed: ClassVar[tuple[str, ...]] = ("login_name",)
    login_name: str | None


class ActivitiesChanged(Event):
    event_type: ClassVar[str] = "ActivitiesChanged"
    activities: tuple[Activity, ...]


class RangesChanged(Event):
    """Weekly availability of an assistant."""

    event_type: ClassVar[str] = "RangesChanged"
    ranges: tuple[WeeklyRange, ...]


class NeedsChanged(Event):
    """Support needs of a seeker (health-related: sealed, never public)."""

    event_type: ClassVar[str] = "NeedsChanged"
    sealed: ClassVar[tuple[str, ...]] = ("needs",)
    sealed_json: ClassVar[tuple[str, ...]] = ("needs",)
    needs: tuple[Activity, ...] | None


class TimeWindowsChanged(Event):
    """Time windows in which a seeker wants assistance (sealed, never public)."""

    event_type: ClassVar[str] = "TimeWindowsChanged"
    sealed: ClassVar[tuple[str, ...]] = ("time_windows",)
    sealed_json: ClassVar[tuple[str, ...]] = ("time_windows",)
    time_windows: tuple[WeeklyRange, ...] | None


class PlaceChanged(Event):
    event_type: ClassVar[str] = "PlaceChanged"
    sealed: ClassVar[tuple[str, ...]] = ("postcode",)
    postcode: str | None
    place: CoarsePlace
    radius_km: float | None = None


class TraitsChanged(Event):
    event_type: ClassVar[str] = "TraitsChanged"
    traits: tuple[Trait, ...]


class GuardianAssigned(Event):
    event_type: ClassVar[str] = "GuardianAssigned"
    sealed: ClassVar[tuple[str, ...]] = ("birth_date",)
    guardian_id: str
    birth_date: str | None  # ISO date of the ward; personal, hence sealed
    acts_until: date


class GuardianshipEnded(Event):
    event_type: ClassVar[str] = "GuardianshipEnded"
    guardian_id: str


class PasswordResetRequested(Event):
    event_type: ClassVar[str] = "PasswordResetRequested"
    request_id: str
    repeated_registration: bool = False


class OrganisationCreated(Event):
    event_type: ClassVar[str] = "OrganisationCreated"
    organisation_kind: OrganisationKind
    name: str
    postcode: str
    created_by: str


class StaffInvited(Event):
    """Account stream: invited into a centre's team until `expires_at`."""

    event_type: ClassVar[str] = "StaffInvited"
    centre_id: str
    role: CentreRole
    invitation_id: str
    invited_by: str
    expires_at: datetime


class StaffJoined(Event):
    event_type: ClassVar[str] = "StaffJoined"
    centre_id: str
    role: CentreRole
    invitation_id: str


class StaffRoleChanged(Event):
    event_type: ClassVar[str] = "StaffRoleChanged"
    centre_id: str
    role: CentreRole
    changed_by: str


class StaffRemoved(Event):
    event_type: ClassVar[str] = "StaffRemoved"
    centre_id: str
    removed_by: str


class AgreementSigned(Event):
    """Organisation stream (counseling centre): the data-processing agreement is signed (from centres)."""

    event_type: ClassVar[str] = "AgreementSigned"


class SeatsChanged(Event):
    """Organisation stream: how many team members (seats, licences) the centre may have (from centres)."""

    event_type: ClassVar[str] = "SeatsChanged"
    seats: int


class ClientRetentionChanged(Event):
    """Organisation stream (counseling centre): days from a client's deletion to the erasure — the
    centre's deletion routine, from counseling's `CounselingSettingsChanged`."""

    event_type: ClassVar[str] = "ClientRetentionChanged"
    days: int


class SeatsRequested(Event):
    """Organisation stream: a centre admin asks the platform admin for `seats` seats in total."""

    event_type: ClassVar[str] = "SeatsRequested"
    request_id: str
    seats: int
    note: str | None = None
    requested_by: str


EVENTS: dict[str, type[Event]] = {
    cls.event_type: cls
    for cls in (
        Registered,
        StepRecorded,
        Activated,
        Refused,
        MembershipApproved,
        MembershipEnded,
        Locked,
        Unlocked,
        DeletionRequested,
        Restored,
        Erased,
        ContactChanged,
        LoginNameChanged,
        ActivitiesChanged,
        RangesChanged,
        NeedsChanged,
        TimeWindowsChanged,
        PlaceChanged,
        TraitsChanged,
        GuardianAssigned,
        GuardianshipEnded,
        PasswordResetRequested,
        OrganisationCreated,
        StaffInvited,
        StaffJoined,
        StaffRoleChanged,
        StaffRemoved,
        AgreementSigned,
        SeatsChanged,
        ClientRetentionChanged,
        SeatsRequested,
    )
}
