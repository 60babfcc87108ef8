"""Events of contracts' streams: the public ones of `teilhabe_events` plus internal ones.

The internal events carry what stays in contracts (sealed terms, texts, registrations, contacts)
and the details decisions need; they live only in this service's event store.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from teilhabe_events import DomainEvent


class InternalEvent(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str]


# --- assistance contracts ---------------------------------------------------------------------


class ContractTermsRecorded(InternalEvent):
    """The full terms of a draft; the text sealed by the use case."""

    event_type: ClassVar[str] = "ContractTermsRecorded"
    draft_revision: int = Field(ge=1)
    terms: dict[str, Any]


class MeetingHeld(InternalEvent):
    """The provider side recorded that the get-to-know meeting took place (and when)."""

    event_type: ClassVar[str] = "MeetingHeld"
    contract_id: str
    held_at: datetime
    recorded_by: str


class RatingTextRecorded(InternalEvent):
    """The sealed text of a rating."""

    event_type: ClassVar[str] = "RatingTextRecorded"
    period: str
    text: str


# --- enrollments ------------------------------------------------------------------------------


class RegistrationDataRecorded(InternalEvent):
    """The sealed registration; at sign-up also whether the participant is a minor."""

    event_type: ClassVar[str] = "RegistrationDataRecorded"
    registration: str
    minor: bool | None = None
    customer_number: str | None = None
    majority_on: date | None = None


class DecisionRecorded(InternalEvent):
    """An interview invitation, or the decision after it (or without one)."""

    event_type: ClassVar[str] = "DecisionRecorded"
    interview_at: datetime | None = None
    accepted: bool | None = None
    interview: str | None = None


class IncomeDeclared(InternalEvent):
    event_type: ClassVar[str] = "IncomeDeclared"
    income_cents: int | None
    declaration: str


class IncomeProofDemanded(InternalEvent):
    event_type: ClassVar[str] = "IncomeProofDemanded"


class IncomeProofDelivered(InternalEvent):
    event_type: ClassVar[str] = "IncomeProofDelivered"
    document_id: str


class EnrollmentOfferTermsRecorded(InternalEvent):
    event_type: ClassVar[str] = "EnrollmentOfferTermsRecorded"
    starts_on: date
    ends_on: date
    respond_by: date
    monthly_fee_cents: int
    fee_basis: str


class SignedScanStored(InternalEvent):
    event_type: ClassVar[str] = "SignedScanStored"
    document_id: str


class EmergencyContactsRecorded(InternalEvent):
    event_type: ClassVar[str] = "EmergencyContactsRecorded"
    count: int
    contacts: str


class PickupPersonRecorded(InternalEvent):
    event_type: ClassVar[str] = "PickupPersonRecorded"
    person_id: str
    name: str
    photo_document_id: str


class PickupPersonRemoved(InternalEvent):
    event_type: ClassVar[str] = "PickupPersonRemoved"
    person_id: str


# --- facility offers ----------------------------------------------------------------------------


class FacilityOfferDetailsRecorded(InternalEvent):
    """The offer's description and fee rules (not on the public topic)."""

    event_type: ClassVar[str] = "FacilityOfferDetailsRecorded"
    description: str
    fee_rules: dict[str, Any]


CONTRACT_INTERNAL: tuple[type[InternalEvent], ...] = (ContractTermsRecorded, MeetingHeld, RatingTextRecorded)
ENROLLMENT_INTERNAL: tuple[type[InternalEvent], ...] = (
    RegistrationDataRecorded,
    DecisionRecorded,
    IncomeDeclared,
    IncomeProofDemanded,
    IncomeProofDelivered,
    EnrollmentOfferTermsRecorded,
    SignedScanStored,
    EmergencyContactsRecorded,
    PickupPersonRecorded,
    PickupPersonRemoved,
)
OFFER_INTERNAL: tuple[type[InternalEvent], ...] = (FacilityOfferDetailsRecorded,)

Event = DomainEvent | InternalEvent
