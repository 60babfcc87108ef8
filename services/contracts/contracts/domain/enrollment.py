"""Enrollment of a participant in a facility's offer: the WorkPro status flow.

interessent → bewerber (registration sent) → eingeladen (interview) → kandidat | abgelehnt
(decision, with or without interview, also on no-show) → eingestuft (remaining data completed and
sent again) → angebot (facility's signed offer with fee and period) → angenommen (signed scan by
the deadline; late is refused) → ratifiziert (countersigned: only now the contract exists).

The applicant is the adult participant, or for a minor a guardian acting for them (guardian only).
At 18 the participant may act too; 30 days later the guardian's part ends (WorkPro's hand-over;
identity's `acting_for` ends then as well).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import singledispatch

from contracts.domain.events import Event, iso
from contracts.domain.fees import FeeRules, fee_for
from contracts.domain.parties import staff_of
from teilhabe_events.contexts.contracts import EnrollmentStatus as S
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable

REGISTRATION_RECORDED = "RegistrationDataRecorded"
INCOME_DECLARED = "IncomeDeclared"
PROOF_DEMANDED = "IncomeProofDemanded"
PROOF_DELIVERED = "IncomeProofDelivered"
OFFER_TERMS = "EnrollmentOfferTermsRecorded"
SCAN_STORED = "SignedScanStored"
EMERGENCY_CONTACTS = "EmergencyContactsRecorded"
PICKUP_PERSON = "PickupPersonRecorded"
PICKUP_PERSON_REMOVED = "PickupPersonRemoved"
DECISION = "DecisionRecorded"

HAND_OVER_DAYS = 30
"""Days after the 18th birthday during which the guardian may still act."""

ALLOWED: dict[S | None, set[S]] = {
    None: {S.INTERESSENT},
    S.INTERESSENT: {S.BEWERBER},
    S.BEWERBER: {S.EINGELADEN, S.KANDIDAT, S.ABGELEHNT},
    S.EINGELADEN: {S.KANDIDAT, S.ABGELEHNT},
    S.KANDIDAT: {S.EINGESTUFT},
    S.EINGESTUFT: {S.ANGEBOT},
    S.ANGEBOT: {S.ANGENOMMEN},
    S.ANGENOMMEN: {S.RATIFIZIERT},
    S.ABGELEHNT: set(),
    S.RATIFIZIERT: set(),
}
"""Every legal transition; anything else is refused."""


@dataclass(frozen=True)
class Enrollment:
    enrollment_id: str
    offer_id: str
    facility_id: str
    participant_id: str
    applicant_id: str
    minor: bool
    status: S = S.INTERESSENT
    majority_on: str | None = None
    interview_at: str | None = None
    income_declared: bool = False
    income_cents: int | None = None
    proof_demanded: bool = False
    proof_delivered: bool = False
    starts_on: str | None = None
    ends_on: str | None = None
    respond_by: str | None = None
    monthly_fee_cents: int | None = None
    fee_basis: str | None = None
    emergency_contacts: int = 0
    pickup_person_ids: tuple[str, ...] = ()
    restricted: bool = False
    erased: bool = False

    def applicant_side(self, p: Principal, today: date) -> bool:
        guardian = self.participant_id in p.acting_for and p.has(Role.GUARDIAN)
        participant = p.account_id == self.participant_id and p.has(Role.SEEKER, Role.APPLICANT)
        if not self.minor:
            return participant or guardian
        majority = date.fromisoformat(self.majority_on) if self.majority_on else None
        if majority is None or today < majority:  # guardian only: the minor cannot act alone
            return guardian
        if today < majority + timedelta(days=HAND_OVER_DAYS):
            return participant or guardian
        return participant

    def staff_side(self, p: Principal) -> bool:
        return staff_of(p, self.facility_id, Role.FACILITY_STAFF)

    def visible_to(self, p: Principal, today: date) -> bool:
        if self.restricted:
            return self.staff_side(p) or p.has(Role.ADMIN)
        return self.applicant_side(p, today) or self.staff_side(p) or p.has(Role.ADMIN)

    def missing(self, today: date) -> list[dict]:
        """What the applicant still has to do, in plain German, with a machine-readable code."""
        items: list[dict] = []
        if self.status == S.INTERESSENT:
            items.append({"code": "submit_registration", "text": "Anmeldung prüfen und absenden."})
        if self.status == S.KANDIDAT:
            if not self.income_declared:
                items.append(
                    {"code": "income_declaration", "text": "Einkommen des Haushalts angeben (oder „keine Angabe“)."}
                )
            items.append({"code": "submit_registration", "text": "Anmeldung erneut prüfen und absenden."})
        if self.proof_demanded and not self.proof_delivered:
            items.append({"code": "income_proof", "text": "Einkommensnachweis hochladen, sonst gilt der Höchstsatz."})
        if self.status == S.ANGEBOT:
            items.append({"code": "signed_scan", "text": f"Unterschriebenen Vertrag bis {self.respond_by} hochladen."})
        if self.minor and self.status in {S.KANDIDAT, S.EINGESTUFT, S.ANGEBOT, S.ANGENOMMEN, S.RATIFIZIERT}:
            due = f" vor Vertragsbeginn ({self.starts_on})" if self.starts_on else " vor Vertragsbeginn"
            if self.emergency_contacts == 0:
                items.append({"code": "emergency_contact", "text": "Notfallkontakt eintragen" + due + "."})
            if not self.pickup_person_ids:
                items.append(
                    {
                        "code": "pickup_person",
                        "text": "Abholberechtigte Person mit aktuellem Passbild eintragen" + due + ".",
                    }
                )
        return items


# --- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUp:
    enrollment_id: str
    offer_id: str
    facility_id: str
    participant_id: str
    minor: bool
    majority_on: date | None
    customer_number: str
    new_customer: bool
    contract_number: str
    sealed_registration: str


@dataclass(frozen=True)
class UpdateRegistration:
    sealed_registration: str


@dataclass(frozen=True)
class Submit:
    pass


@dataclass(frozen=True)
class Invite:
    interview_at: datetime


@dataclass(frozen=True)
class Decide:
    accepted: bool
    interview: str  # "attended" | "no_show" | "none"


@dataclass(frozen=True)
class DeclareIncome:
    income_cents: int | None
    sealed_declaration: str


@dataclass(frozen=True)
class DemandProof:
    pass


@dataclass(frozen=True)
class DeliverProof:
    document_id: str


@dataclass(frozen=True)
class MakeOffer:
    rules: FeeRules
    starts_on: date
    ends_on: date
    respond_by: date


@dataclass(frozen=True)
class Accept:
    document_id: str


@dataclass(frozen=True)
class Ratify:
    pass


@dataclass(frozen=True)
class RecordEmergencyContacts:
    count: int
    sealed_contacts: str


@dataclass(frozen=True)
class RecordPickupPerson:
    person_id: str
    sealed_name: str
    photo_document_id: str


@dataclass(frozen=True)
class RemovePickupPerson:
    person_id: str


@dataclass(frozen=True)
class RestrictProcessing:
    pass


@dataclass(frozen=True)
class EraseEnrollment:
    pass


# --- decide -----------------------------------------------------------------------------------


def _status_event(e: Enrollment, to: S, actor: str) -> Event:
    if to not in ALLOWED[e.status]:
        raise Conflict(f"Vom Status „{e.status.value}“ geht es nicht zu „{to.value}“.")
    return Event(
        "EnrollmentStatusChanged",
        {
            "enrollment_id": e.enrollment_id,
            "offer_id": e.offer_id,
            "facility_id": e.facility_id,
            "participant_id": e.participant_id,
            "applicant_id": e.applicant_id,
            "status": to.value,
            "previous_status": e.status.value,
            "changed_by": actor,
        },
    )


def _applicant(e: Enrollment, p: Principal, now: datetime) -> None:
    if not e.applicant_side(p, local_date(now)):
        raise Forbidden("Das darf nur die angemeldete Person (bei Minderjährigen der Sorgeberechtigte).")


def _staff(e: Enrollment, p: Principal) -> None:
    if not e.staff_side(p):
        raise Forbidden("Das darf nur die Einrichtung.")


def _open(e: Enrollment) -> None:
    if e.restricted:
        raise Conflict("Die Verarbeitung ist eingeschränkt (Löschung beantragt).")


def decide(state: Enrollment | None, command, principal: Principal | None, now: datetime) -> list[Event]:
    if isinstance(command, SignUp):
        if state is not None:
            return []
        assert principal is not None, "a person signs up"
        return _sign_up(command, principal)
    if state is None:
        raise Conflict("Diese Anmeldung gibt es nicht.")
    if state.erased:
        raise Conflict("Diese Anmeldung wurde nach Ablauf der Aufbewahrungsfrist gelöscht.")
    return _decide(command, state, principal, now)


def _sign_up(cmd: SignUp, p: Principal) -> list[Event]:
    events = [
        Event(
            "EnrollmentStatusChanged",
            {
                "enrollment_id": cmd.enrollment_id,
                "offer_id": cmd.offer_id,
                "facility_id": cmd.facility_id,
                "participant_id": cmd.participant_id,
                "applicant_id": p.account_id,
                "status": S.INTERESSENT.value,
                "previous_status": None,
                "changed_by": p.account_id,
            },
        ),
        Event(
            REGISTRATION_RECORDED,
            {
                "registration": cmd.sealed_registration,
                "minor": cmd.minor,
                "customer_number": cmd.customer_number,
                "majority_on": iso(cmd.majority_on),
            },
        ),
        Event("ContractNumberAssigned", {"enrollment_id": cmd.enrollment_id, "contract_number": cmd.contract_number}),
    ]
    if cmd.new_customer:
        events.append(
            Event(
                "CustomerNumberAssigned",
                {
                    "enrollment_id": cmd.enrollment_id,
                    "participant_id": cmd.participant_id,
                    "customer_number": cmd.customer_number,
                },
            )
        )
    return events


@singledispatch
def _decide(command, e: Enrollment, p: Principal | None, now: datetime) -> list[Event]:
    raise TypeError(f"unknown command {command!r}")


@_decide.register
def _(cmd: UpdateRegistration, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    if e.status not in {S.INTERESSENT, S.KANDIDAT}:
        raise Conflict("Die Angaben können nur vor dem Absenden geändert werden.")
    return [Event(REGISTRATION_RECORDED, {"registration": cmd.sealed_registration})]


@_decide.register
def _(cmd: Submit, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    if e.status == S.INTERESSENT:
        return [_status_event(e, S.BEWERBER, p.account_id)]
    if e.status == S.KANDIDAT:
        if not e.income_declared:
            raise Unprocessable("Bitte zuerst das Einkommen angeben (oder „keine Angabe“).", field="income")
        return [_status_event(e, S.EINGESTUFT, p.account_id)]
    raise Conflict(f"Im Status „{e.status.value}“ gibt es nichts abzusenden.")


@_decide.register
def _(cmd: Invite, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _staff(e, p)
    _open(e)
    if cmd.interview_at <= now:
        raise Unprocessable("Der Gesprächstermin muss in der Zukunft liegen.", field="interview_at")
    event = _status_event(e, S.EINGELADEN, p.account_id)
    return [Event(DECISION, {"interview_at": iso(cmd.interview_at)}), event]


@_decide.register
def _(cmd: Decide, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _staff(e, p)
    _open(e)
    if cmd.interview != "none" and e.status != S.EINGELADEN:
        raise Unprocessable("Ohne Einladung gab es kein Gespräch.", field="interview")
    to = S.KANDIDAT if cmd.accepted else S.ABGELEHNT
    event = _status_event(e, to, p.account_id)
    return [Event(DECISION, {"accepted": cmd.accepted, "interview": cmd.interview}), event]


@_decide.register
def _(cmd: DeclareIncome, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    if e.status not in {S.KANDIDAT, S.EINGESTUFT}:
        raise Conflict("Das Einkommen wird als Kandidat angegeben.")
    return [Event(INCOME_DECLARED, {"income_cents": cmd.income_cents, "declaration": cmd.sealed_declaration})]


@_decide.register
def _(cmd: DemandProof, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _staff(e, p)
    _open(e)
    if not e.income_declared or e.income_cents is None:
        raise Conflict("Es gibt keine Einkommensangabe, die nachzuweisen wäre.")
    return [] if e.proof_demanded and not e.proof_delivered else [Event(PROOF_DEMANDED, {})]


@_decide.register
def _(cmd: DeliverProof, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    if not e.proof_demanded:
        raise Conflict("Es wurde kein Nachweis angefordert.")
    return [Event(PROOF_DELIVERED, {"document_id": cmd.document_id})]


@_decide.register
def _(cmd: MakeOffer, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _staff(e, p)
    _open(e)
    if cmd.ends_on <= cmd.starts_on:
        raise Unprocessable("Das Vertragsende muss nach dem Beginn liegen.", field="ends_on")
    if cmd.respond_by < local_date(now):
        raise Unprocessable("Die Frist darf nicht in der Vergangenheit liegen.", field="respond_by")
    if cmd.respond_by > cmd.starts_on:
        raise Unprocessable("Die Frist muss vor dem Vertragsbeginn enden.", field="respond_by")
    fee = fee_for(cmd.rules, e.income_cents, proof_demanded=e.proof_demanded, proof_delivered=e.proof_delivered)
    event = _status_event(e, S.ANGEBOT, p.account_id)
    return [
        Event(
            OFFER_TERMS,
            {
                "starts_on": iso(cmd.starts_on),
                "ends_on": iso(cmd.ends_on),
                "respond_by": iso(cmd.respond_by),
                "monthly_fee_cents": fee.monthly_fee_cents,
                "fee_basis": fee.basis,
            },
        ),
        event,
    ]


@_decide.register
def _(cmd: Accept, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    if e.status == S.ANGEBOT and e.respond_by and local_date(now) > date.fromisoformat(e.respond_by):
        raise Conflict(f"Die Frist ist am {e.respond_by} abgelaufen. Bitte wenden Sie sich an die Einrichtung.")
    event = _status_event(e, S.ANGENOMMEN, p.account_id)
    return [Event(SCAN_STORED, {"document_id": cmd.document_id}), event]


@_decide.register
def _(cmd: Ratify, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _staff(e, p)
    _open(e)
    return [_status_event(e, S.RATIFIZIERT, p.account_id)]


def _after_decision(e: Enrollment) -> None:
    if e.status in {S.INTERESSENT, S.BEWERBER, S.EINGELADEN, S.ABGELEHNT}:
        raise Conflict("Das geht erst, wenn die Anmeldung angenommen wurde (Kandidat).")


@_decide.register
def _(cmd: RecordEmergencyContacts, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    _after_decision(e)
    return [Event(EMERGENCY_CONTACTS, {"count": cmd.count, "contacts": cmd.sealed_contacts})]


@_decide.register
def _(cmd: RecordPickupPerson, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    _after_decision(e)
    return [
        Event(
            PICKUP_PERSON,
            {
                "person_id": cmd.person_id,
                "name": cmd.sealed_name,
                "photo_document_id": cmd.photo_document_id,
            },
        )
    ]


@_decide.register
def _(cmd: RemovePickupPerson, e: Enrollment, p: Principal, now: datetime) -> list[Event]:
    _applicant(e, p, now)
    _open(e)
    if cmd.person_id not in e.pickup_person_ids:
        raise NotFound("Diese abholberechtigte Person gibt es nicht (mehr).")
    return [Event(PICKUP_PERSON_REMOVED, {"person_id": cmd.person_id})]


@_decide.register
def _(cmd: RestrictProcessing, e: Enrollment, p: Principal | None, now: datetime) -> list[Event]:
    return [] if e.restricted else [Event("EnrollmentProcessingRestricted", {"enrollment_id": e.enrollment_id})]


@_decide.register
def _(cmd: EraseEnrollment, e: Enrollment, p: Principal | None, now: datetime) -> list[Event]:
    return [Event("EnrollmentErased", {"enrollment_id": e.enrollment_id})]


# --- evolve -----------------------------------------------------------------------------------


def evolve(state: Enrollment | None, event: Event) -> Enrollment:
    """The state after `event` (the stream's first event is the EnrollmentStatusChanged without a previous status)."""
    d = event.data
    if event.type == "EnrollmentStatusChanged" and d["previous_status"] is None:
        return Enrollment(
            enrollment_id=d["enrollment_id"],
            offer_id=d["offer_id"],
            facility_id=d["facility_id"],
            participant_id=d["participant_id"],
            applicant_id=d["applicant_id"],
            minor=False,
        )
    assert state is not None, f"{event.type} before the enrollment was opened"
    match event.type:
        case "EnrollmentStatusChanged":
            return replace(state, status=S(d["status"]))
        case "RegistrationDataRecorded" if "minor" in d:
            return replace(state, minor=d["minor"], majority_on=d.get("majority_on"))
        case "IncomeDeclared":
            return replace(state, income_declared=True, income_cents=d["income_cents"])
        case "IncomeProofDemanded":
            return replace(state, proof_demanded=True, proof_delivered=False)
        case "IncomeProofDelivered":
            return replace(state, proof_delivered=True)
        case "DecisionRecorded" if "interview_at" in d:
            return replace(state, interview_at=d["interview_at"])
        case "EnrollmentOfferTermsRecorded":
            return replace(
                state,
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                respond_by=d["respond_by"],
                monthly_fee_cents=d["monthly_fee_cents"],
                fee_basis=d["fee_basis"],
            )
        case "EmergencyContactsRecorded":
            return replace(state, emergency_contacts=d["count"])
        case "PickupPersonRecorded":
            return replace(state, pickup_person_ids=(*state.pickup_person_ids, d["person_id"]))
        case "PickupPersonRemoved":
            return replace(state, pickup_person_ids=tuple(i for i in state.pickup_person_ids if i != d["person_id"]))
        case "EnrollmentProcessingRestricted":
            return replace(state, restricted=True)
        case "EnrollmentErased":
            return replace(state, erased=True)
    return state
