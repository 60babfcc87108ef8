"""Who may act on a contract or an enrollment: role AND relation, never one of them alone.

Checked by the use cases before the domain decides. The provider side of a contract is the
coordinator of the assistant's provider, or the assistant when self-employed; the seeker side is
the seeker or a guardian acting for them. The applicant side of an enrollment is the adult
participant, or for a minor a guardian (both during the hand-over after the 18th birthday).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from contracts.domain import assistance as a
from contracts.domain import enrollment as e
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Forbidden

NOT_ALLOWED = "Das dürfen Sie bei diesem Vertrag nicht tun."


def acts_for(principal: Principal, person_id: str, own_role: str) -> bool:
    """The person themself (with `own_role`) or a guardian acting for them."""
    if principal.account_id == person_id:
        return principal.has(own_role)
    return person_id in principal.acting_for and principal.has(Role.GUARDIAN)


def staff_of(principal: Principal, organisation_id: str | None, role: str) -> bool:
    """A member of `organisation_id` with `role` (coordinator of a provider, facility staff)."""
    return organisation_id is not None and principal.organisation_id == organisation_id and principal.has(role)


def _refuse_unless(allowed: bool, detail: str = NOT_ALLOWED) -> None:
    if not allowed:
        raise Forbidden(detail)


# --- assistance contracts ---------------------------------------------------------------------


def provider_side(c: a.Contract, p: Principal) -> bool:
    if c.organisation_id is None:
        return p.account_id == c.assistant_id and p.has(Role.ASSISTANT)
    return staff_of(p, c.organisation_id, Role.COORDINATOR)


def seeker_side(c: a.Contract, p: Principal) -> bool:
    return acts_for(p, c.seeker_id, Role.SEEKER)


def assistant_side(c: a.Contract, p: Principal) -> bool:
    return p.account_id == c.assistant_id and p.has(Role.ASSISTANT)


def sees_contract(c: a.Contract, p: Principal) -> bool:
    if c.restricted:
        return p.has(Role.ADMIN) or provider_side(c, p)
    return provider_side(c, p) or seeker_side(c, p) or assistant_side(c, p) or p.has(Role.ADMIN)


def authorize_contract(c: a.Contract, command: object, p: Principal) -> object:
    """Raise Forbidden unless `p` may give `command`; the command as `p` gives it (a decline
    names the side the caller acts for)."""
    match command:
        case a.ProposeMeeting():
            _refuse_unless(provider_side(c, p), "Termine schlägt der Leistungs-Anbieter vor.")
        case a.PickMeeting():
            _refuse_unless(seeker_side(c, p), "Den Termin wählt die Person, die Assistenz sucht.")
        case a.RecordMeetingHeld():
            _refuse_unless(provider_side(c, p), "Dass das Treffen stattgefunden hat, erfasst der Leistungs-Anbieter.")
        case a.Decline():
            for party, side in (("seeker", seeker_side), ("provider", provider_side), ("assistant", assistant_side)):
                if side(c, p):
                    return replace(command, party=party)
            raise Forbidden(NOT_ALLOWED)
        case a.DraftContract():
            _refuse_unless(provider_side(c, p), "Den Vertrag entwirft der Leistungs-Anbieter.")
        case a.Sign():
            signer = {"seeker": seeker_side, "assistant": assistant_side}.get(command.party)
            _refuse_unless(signer is not None and signer(c, p), "Sie können nur für sich selbst unterschreiben.")
        case a.Ratify():
            _refuse_unless(provider_side(c, p), "Gegenzeichnen darf nur der Leistungs-Anbieter.")
        case a.EndContract():
            _refuse_unless(seeker_side(c, p) or provider_side(c, p))
        case a.Rate():
            _refuse_unless(seeker_side(c, p), "Bewerten kann nur die Person, die Assistenz bekommt.")
        case a.RecordBooking():
            _refuse_unless(assistant_side(c, p), "Stunden bucht die Assistenz-Kraft selbst.")
        case a.ApproveBooking():
            # a self-employed assistant cannot approve their own hours: the seeker confirms them
            approver = seeker_side(c, p) if c.organisation_id is None else provider_side(c, p)
            _refuse_unless(approver, "Stunden bestätigt der Leistungs-Anbieter.")
    return command


# --- enrollments ------------------------------------------------------------------------------

APPLICANT_COMMANDS = (
    e.UpdateRegistration,
    e.Submit,
    e.DeclareIncome,
    e.DeliverProof,
    e.Accept,
    e.RecordEmergencyContacts,
    e.RecordPickupPerson,
    e.RemovePickupPerson,
)
STAFF_COMMANDS = (e.Invite, e.Decide, e.DemandProof, e.MakeOffer, e.Ratify)


def applicant_side(x: e.Enrollment, p: Principal, today: date) -> bool:
    guardian = x.participant_id in p.acting_for and p.has(Role.GUARDIAN)
    participant = p.account_id == x.participant_id and p.has(Role.SEEKER, Role.APPLICANT)
    if not x.minor:
        return participant or guardian
    majority = date.fromisoformat(x.majority_on) if x.majority_on else None
    if majority is None or today < majority:  # guardian only: the minor cannot act alone
        return guardian
    if today < majority + timedelta(days=e.HAND_OVER_DAYS):
        return participant or guardian
    return participant


def staff_side(x: e.Enrollment, p: Principal) -> bool:
    return staff_of(p, x.facility_id, Role.FACILITY_STAFF)


def sees_enrollment(x: e.Enrollment, p: Principal, today: date) -> bool:
    if x.restricted:
        return staff_side(x, p) or p.has(Role.ADMIN)
    return applicant_side(x, p, today) or staff_side(x, p) or p.has(Role.ADMIN)


def authorize_enrollment(x: e.Enrollment, command: object, p: Principal, today: date) -> None:
    """Raise Forbidden unless `p` may give `command` on the enrollment today."""
    if isinstance(command, APPLICANT_COMMANDS) and not applicant_side(x, p, today):
        raise Forbidden("Das darf nur die angemeldete Person (bei Minderjährigen der Sorgeberechtigte).")
    if isinstance(command, STAFF_COMMANDS) and not staff_side(x, p):
        raise Forbidden("Das darf nur die Einrichtung.")
