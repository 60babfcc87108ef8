"""Enrollment of a participant in a facility's offer: the WorkPro status flow.

interessent → bewerber (registration sent) → eingeladen (interview) → kandidat | abgelehnt
(decision, with or without interview, also on no-show) → eingestuft (remaining data completed and
sent again) → angebot (facility's signed offer with fee and period) → angenommen (signed scan by
the deadline; late is refused) → ratifiziert (countersigned: only now the contract exists).

The applicant is the adult participant, or for a minor a guardian acting for them (guardian only).
At 18 the participant may act too; 30 days later the guardian's part ends (WorkPro's hand-over;
identity's `acting_for` ends then as well). Who may give a command is checked before, in
`contracts.app.permissions`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import singledispatch

from contracts.domain import events as ev
from contracts.domain.events import Event
from contracts.domain.fees import FeeRules, fee_for
from teilhabe_events.contexts import contracts as pub
from teilhabe_events.contexts.contracts import EnrollmentStatus as S
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable

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
    applicant_id: str
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


def _status_event(e: Enrollment, to: S, actor: str) -> pub.EnrollmentStatusChanged:
    if to not in ALLOWED[e.status]:
        raise Conflict(f"Vom Status „{e.status.value}“ geht es nicht zu „{to.value}“.")
    return pub.EnrollmentStatusChanged(
        enrollment_id=e.enrollment_id,
        offer_id=e.offer_id,
        facility_id=e.facility_id,
        participant_id=e.participant_id,
        applicant_id=e.applicant_id,
        status=to,
        previous_status=e.status,
        changed_by=actor,
    )


def _open(e: Enrollment) -> None:
    if e.restricted:
        raise Conflict("Die Verarbeitung ist eingeschränkt (Löschung beantragt).")


def decide(state: Enrollment | None, command: object, actor: str | None, now: datetime) -> list[Event]:
    """The events a command of `actor` causes; raises Conflict (state) or Unprocessable (input)."""
    if isinstance(command, SignUp):
        if state is not None:
            return []
        return _sign_up(command)
    if state is None:
        raise Conflict("Diese Anmeldung gibt es nicht.")
    if state.erased:
        raise Conflict("Diese Anmeldung wurde nach Ablauf der Aufbewahrungsfrist gelöscht.")
    return _decide(command, state, actor or "", now)


def _sign_up(cmd: SignUp) -> list[Event]:
    events: list[Event] = [
        pub.EnrollmentStatusChanged(
            enrollment_id=cmd.enrollment_id,
            offer_id=cmd.offer_id,
            facility_id=cmd.facility_id,
            participant_id=cmd.participant_id,
            applicant_id=cmd.applicant_id,
            status=S.INTERESSENT,
            previous_status=None,
            changed_by=cmd.applicant_id,
        ),
        ev.RegistrationDataRecorded(
            registration=cmd.sealed_registration,
            minor=cmd.minor,
            customer_number=cmd.customer_number,
            majority_on=cmd.majority_on,
        ),
        pub.ContractNumberAssigned(enrollment_id=cmd.enrollment_id, contract_number=cmd.contract_number),
    ]
    if cmd.new_customer:
        events.append(
            pub.CustomerNumberAssigned(
                enrollment_id=cmd.enrollment_id,
                participant_id=cmd.participant_id,
                customer_number=cmd.customer_number,
            )
        )
    return events


@singledispatch
def _decide(command: object, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    raise TypeError(f"unknown command {command!r}")


@_decide.register
def _(cmd: UpdateRegistration, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if e.status not in {S.INTERESSENT, S.KANDIDAT}:
        raise Conflict("Die Angaben können nur vor dem Absenden geändert werden.")
    return [ev.RegistrationDataRecorded(registration=cmd.sealed_registration)]


@_decide.register
def _(cmd: Submit, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if e.status == S.INTERESSENT:
        return [_status_event(e, S.BEWERBER, actor)]
    if e.status == S.KANDIDAT:
        if not e.income_declared:
            raise Unprocessable("Bitte zuerst das Einkommen angeben (oder „keine Angabe“).", field="income")
        return [_status_event(e, S.EINGESTUFT, actor)]
    raise Conflict(f"Im Status „{e.status.value}“ gibt es nichts abzusenden.")


@_decide.register
def _(cmd: Invite, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if cmd.interview_at <= now:
        raise Unprocessable("Der Gesprächstermin muss in der Zukunft liegen.", field="interview_at")
    event = _status_event(e, S.EINGELADEN, actor)
    return [ev.DecisionRecorded(interview_at=cmd.interview_at), event]


@_decide.register
def _(cmd: Decide, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if cmd.interview != "none" and e.status != S.EINGELADEN:
        raise Unprocessable("Ohne Einladung gab es kein Gespräch.", field="interview")
    to = S.KANDIDAT if cmd.accepted else S.ABGELEHNT
    event = _status_event(e, to, actor)
    return [ev.DecisionRecorded(accepted=cmd.accepted, interview=cmd.interview), event]


@_decide.register
def _(cmd: DeclareIncome, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if e.status not in {S.KANDIDAT, S.EINGESTUFT}:
        raise Conflict("Das Einkommen wird als Kandidat angegeben.")
    return [ev.IncomeDeclared(income_cents=cmd.income_cents, declaration=cmd.sealed_declaration)]


@_decide.register
def _(cmd: DemandProof, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if not e.income_declared or e.income_cents is None:
        raise Conflict("Es gibt keine Einkommensangabe, die nachzuweisen wäre.")
    return [] if e.proof_demanded and not e.proof_delivered else [ev.IncomeProofDemanded()]


@_decide.register
def _(cmd: DeliverProof, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if not e.proof_demanded:
        raise Conflict("Es wurde kein Nachweis angefordert.")
    return [ev.IncomeProofDelivered(document_id=cmd.document_id)]


@_decide.register
def _(cmd: MakeOffer, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if cmd.ends_on <= cmd.starts_on:
        raise Unprocessable("Das Vertragsende muss nach dem Beginn liegen.", field="ends_on")
    if cmd.respond_by < local_date(now):
        raise Unprocessable("Die Frist darf nicht in der Vergangenheit liegen.", field="respond_by")
    if cmd.respond_by > cmd.starts_on:
        raise Unprocessable("Die Frist muss vor dem Vertragsbeginn enden.", field="respond_by")
    fee = fee_for(cmd.rules, e.income_cents, proof_demanded=e.proof_demanded, proof_delivered=e.proof_delivered)
    event = _status_event(e, S.ANGEBOT, actor)
    return [
        ev.EnrollmentOfferTermsRecorded(
            starts_on=cmd.starts_on,
            ends_on=cmd.ends_on,
            respond_by=cmd.respond_by,
            monthly_fee_cents=fee.monthly_fee_cents,
            fee_basis=fee.basis,
        ),
        event,
    ]


@_decide.register
def _(cmd: Accept, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if e.status == S.ANGEBOT and e.respond_by and local_date(now) > date.fromisoformat(e.respond_by):
        raise Conflict(f"Die Frist ist am {e.respond_by} abgelaufen. Bitte wenden Sie sich an die Einrichtung.")
    event = _status_event(e, S.ANGENOMMEN, actor)
    return [ev.SignedScanStored(document_id=cmd.document_id), event]


@_decide.register
def _(cmd: Ratify, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    return [_status_event(e, S.RATIFIZIERT, actor)]


def _after_decision(e: Enrollment) -> None:
    if e.status in {S.INTERESSENT, S.BEWERBER, S.EINGELADEN, S.ABGELEHNT}:
        raise Conflict("Das geht erst, wenn die Anmeldung angenommen wurde (Kandidat).")


@_decide.register
def _(cmd: RecordEmergencyContacts, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    _after_decision(e)
    return [ev.EmergencyContactsRecorded(count=cmd.count, contacts=cmd.sealed_contacts)]


@_decide.register
def _(cmd: RecordPickupPerson, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    _after_decision(e)
    return [
        ev.PickupPersonRecorded(person_id=cmd.person_id, name=cmd.sealed_name, photo_document_id=cmd.photo_document_id)
    ]


@_decide.register
def _(cmd: RemovePickupPerson, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    _open(e)
    if cmd.person_id not in e.pickup_person_ids:
        raise NotFound("Diese abholberechtigte Person gibt es nicht (mehr).")
    return [ev.PickupPersonRemoved(person_id=cmd.person_id)]


@_decide.register
def _(cmd: RestrictProcessing, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    return [] if e.restricted else [pub.EnrollmentProcessingRestricted(enrollment_id=e.enrollment_id)]


@_decide.register
def _(cmd: EraseEnrollment, e: Enrollment, actor: str, now: datetime) -> list[Event]:
    return [pub.EnrollmentErased(enrollment_id=e.enrollment_id)]


# --- evolve -----------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def evolve(state: Enrollment | None, event: Event, enrollment_id: str = "") -> Enrollment:
    """The state after `event` (the stream's first event is the change to Interessent)."""
    if isinstance(event, pub.EnrollmentStatusChanged) and event.previous_status is None:
        return Enrollment(
            enrollment_id=event.enrollment_id,
            offer_id=event.offer_id,
            facility_id=event.facility_id,
            participant_id=event.participant_id,
            applicant_id=event.applicant_id,
            minor=False,
        )
    assert state is not None, f"{type(event).__name__} before the sign-up"
    match event:
        case pub.EnrollmentStatusChanged():
            return replace(state, status=event.status)
        case ev.RegistrationDataRecorded() if event.minor is not None:
            return replace(state, minor=event.minor, majority_on=_iso(event.majority_on))
        case ev.IncomeDeclared():
            return replace(state, income_declared=True, income_cents=event.income_cents)
        case ev.IncomeProofDemanded():
            return replace(state, proof_demanded=True, proof_delivered=False)
        case ev.IncomeProofDelivered():
            return replace(state, proof_delivered=True)
        case ev.DecisionRecorded() if event.interview_at is not None:
            return replace(state, interview_at=event.interview_at.isoformat())
        case ev.EnrollmentOfferTermsRecorded():
            return replace(
                state,
                starts_on=event.starts_on.isoformat(),
                ends_on=event.ends_on.isoformat(),
                respond_by=event.respond_by.isoformat(),
                monthly_fee_cents=event.monthly_fee_cents,
                fee_basis=event.fee_basis,
            )
        case ev.EmergencyContactsRecorded():
            return replace(state, emergency_contacts=event.count)
        case ev.PickupPersonRecorded():
            return replace(state, pickup_person_ids=(*state.pickup_person_ids, event.person_id))
        case ev.PickupPersonRemoved():
            return replace(state, pickup_person_ids=tuple(i for i in state.pickup_person_ids if i != event.person_id))
        case pub.EnrollmentProcessingRestricted():
            return replace(state, restricted=True)
        case pub.EnrollmentErased():
            return replace(state, erased=True)
    return state
