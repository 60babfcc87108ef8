"""Public events of the contracts context.

Topics: `contracts.contract.v1` (assistance contracts, stream id = contract id),
`contracts.enrollment.v1` (enrollments in facilities' offers, stream id = enrollment id),
`contracts.facility_offer.v1` (offers of facilities) and `contracts.interested_person.v1`
(people who registered for an offer without an account yet).

Only ids and non-personal facts: terms that reveal a person's situation (payer, hourly rate,
schedule), rating texts, income declarations, signed scans and contacts stay sealed in contracts.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from teilhabe_events.registry import DomainEvent, registry


class ContractParty(StrEnum):
    SEEKER = "seeker"
    ASSISTANT = "assistant"
    PROVIDER = "provider"


class SignatureMethod(StrEnum):
    IN_APP = "in_app"
    """Confirmed in the app after re-authentication."""
    SCAN = "scan"
    """A signed paper copy was uploaded."""


class DeclineReason(StrEnum):
    DECLINED_AFTER_MEETING = "declined_after_meeting"
    """Orders answers with `AwardEnded(reason="declined_after_meeting")`: the order is open again."""


class CancelReason(StrEnum):
    ORDER_WITHDRAWN = "order_withdrawn"
    AWARD_ENDED = "award_ended"


class EndReason(StrEnum):
    NOTICE_BY_SEEKER = "notice_by_seeker"
    NOTICE_BY_PROVIDER = "notice_by_provider"
    MUTUAL_AGREEMENT = "mutual_agreement"
    COMPLETED = "completed"
    DEATH_OR_MOVE = "death_or_move"


class EnrollmentStatus(StrEnum):
    """The WorkPro participant states (German names are the domain's own)."""

    INTERESSENT = "interessent"
    BEWERBER = "bewerber"
    EINGELADEN = "eingeladen"
    KANDIDAT = "kandidat"
    ABGELEHNT = "abgelehnt"
    EINGESTUFT = "eingestuft"
    ANGEBOT = "angebot"
    ANGENOMMEN = "angenommen"
    RATIFIZIERT = "ratifiziert"


class _ContractEvent(DomainEvent):
    service: ClassVar[str] = "contracts"
    stream_type: ClassVar[str] = "contract"

    contract_id: str


class _EnrollmentEvent(DomainEvent):
    service: ClassVar[str] = "contracts"
    stream_type: ClassVar[str] = "enrollment"

    enrollment_id: str


@registry.register
class ContractProcessOpened(_ContractEvent):
    """An accepted offer opened the way to a contract."""

    event_type: ClassVar[str] = "ContractProcessOpened"
    order_id: str
    offer_id: str
    seeker_id: str
    assistant_id: str
    organisation_id: str | None = Field(description="the provider; None if the assistant is self-employed")


@registry.register
class MeetingProposed(_ContractEvent):
    """The provider (or self-employed assistant) proposed dates for the first personal meeting."""

    event_type: ClassVar[str] = "MeetingProposed"
    slots: list[datetime] = Field(min_length=1, max_length=5)
    proposed_by: str


@registry.register
class MeetingScheduled(_ContractEvent):
    """The seeker picked one of the proposed dates."""

    event_type: ClassVar[str] = "MeetingScheduled"
    order_id: str
    seeker_id: str
    assistant_id: str
    organisation_id: str | None
    meeting_at: datetime


@registry.register
class ContractDeclined(_ContractEvent):
    """One side declined after the meeting: no contract; orders ends the award."""

    event_type: ClassVar[str] = "ContractDeclined"
    order_id: str
    offer_id: str
    seeker_id: str
    declined_by: str
    party: ContractParty
    reason: DeclineReason = DeclineReason.DECLINED_AFTER_MEETING


@registry.register
class ContractProcessCancelled(_ContractEvent):
    """The order was withdrawn or its award ended elsewhere: the process closes."""

    event_type: ClassVar[str] = "ContractProcessCancelled"
    order_id: str
    reason: CancelReason


@registry.register
class ContractDrafted(_ContractEvent):
    """The provider drafted (or redrafted) the terms; earlier signatures no longer count."""

    event_type: ClassVar[str] = "ContractDrafted"
    order_id: str
    draft_revision: int = Field(ge=1)
    starts_on: date
    drafted_by: str


@registry.register
class ContractSigned(_ContractEvent):
    """A party signed the current draft."""

    event_type: ClassVar[str] = "ContractSigned"
    party: ContractParty
    method: SignatureMethod
    draft_revision: int = Field(ge=1)
    signed_by: str


@registry.register
class ContractRatified(_ContractEvent):
    """The provider countersigned: the contract exists and the assignment is active."""

    event_type: ClassVar[str] = "ContractRatified"
    order_id: str
    offer_id: str
    seeker_id: str
    assistant_id: str
    organisation_id: str | None
    starts_on: date
    ratified_by: str


@registry.register
class ContractEnded(_ContractEvent):
    event_type: ClassVar[str] = "ContractEnded"
    order_id: str
    reason: EndReason
    ends_on: date
    ended_by: str


@registry.register
class AssistantRated(_ContractEvent):
    """The seeker rated the assistant for a period (YYYY-MM); any text stays in contracts."""

    event_type: ClassVar[str] = "AssistantRated"
    assistant_id: str
    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    stars: int = Field(ge=1, le=5)


@registry.register
class BookingRecorded(_ContractEvent):
    """The assistant recorded worked time on an active contract."""

    event_type: ClassVar[str] = "BookingRecorded"
    booking_id: str
    assistant_id: str
    worked_on: date
    minutes: int = Field(gt=0, le=24 * 60)


@registry.register
class BookingApproved(_ContractEvent):
    event_type: ClassVar[str] = "BookingApproved"
    booking_id: str
    approved_by: str


@registry.register
class ContractProcessingRestricted(_ContractEvent):
    """Erasure was requested during the retention period: only those with a legal need may see it."""

    event_type: ClassVar[str] = "ContractProcessingRestricted"


@registry.register
class ContractErased(_ContractEvent):
    """The retention period passed: the contract's sealed data and documents are destroyed."""

    event_type: ClassVar[str] = "ContractErased"


@registry.register
class FacilityOfferPublished(DomainEvent):
    """A facility published an offer (course, care, after-school …). Stream id = offer id."""

    service: ClassVar[str] = "contracts"
    stream_type: ClassVar[str] = "facility_offer"
    event_type: ClassVar[str] = "FacilityOfferPublished"
    offer_id: str
    facility_id: str
    title: str = Field(max_length=200)
    starts_on: date
    ends_on: date
    capacity: int = Field(ge=1)
    published_by: str


@registry.register
class InterestedPersonRegistered(DomainEvent):
    """Someone registered for an offer with name and e-mail (kept sealed in contracts).

    Identity may create the account (id = person_id) and send the password link; it fetches the
    contact from contracts' API. Stream id = person id.
    """

    service: ClassVar[str] = "contracts"
    stream_type: ClassVar[str] = "interested_person"
    event_type: ClassVar[str] = "InterestedPersonRegistered"
    person_id: str
    offer_id: str
    facility_id: str


@registry.register
class EnrollmentStatusChanged(_EnrollmentEvent):
    """A participant's enrollment moved to a new WorkPro status."""

    event_type: ClassVar[str] = "EnrollmentStatusChanged"
    offer_id: str
    facility_id: str
    participant_id: str
    applicant_id: str = Field(description="the participant, or the guardian acting for a minor")
    status: EnrollmentStatus
    previous_status: EnrollmentStatus | None = None
    changed_by: str


@registry.register
class CustomerNumberAssigned(_EnrollmentEvent):
    """The participant got a customer number (once; kept for later contracts)."""

    event_type: ClassVar[str] = "CustomerNumberAssigned"
    participant_id: str
    customer_number: str


@registry.register
class ContractNumberAssigned(_EnrollmentEvent):
    event_type: ClassVar[str] = "ContractNumberAssigned"
    contract_number: str


@registry.register
class EnrollmentProcessingRestricted(_EnrollmentEvent):
    event_type: ClassVar[str] = "EnrollmentProcessingRestricted"


@registry.register
class EnrollmentErased(_EnrollmentEvent):
    event_type: ClassVar[str] = "EnrollmentErased"
