"""Enrollment decisions without I/O: every transition allowed or refused, roles (the use cases'
permission check before the domain decides), deadline, fees, minors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.app import permissions
from contracts.domain import enrollment as d
from contracts.domain import events as ev
from contracts.domain.events import Event
from contracts.domain.fees import Bracket, Fee, FeeRules, fee_for
from teilhabe_events.contexts.contracts import EnrollmentStatus as S
from teilhabe_kit.auth import Principal
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
RULES = FeeRules(highest_fee_cents=30000, brackets=(Bracket(2_000_000, 5000), Bracket(5_000_000, 15000)))

ADULT = Principal("adult", frozenset({"seeker"}))
GUARDIAN = Principal("guardian", frozenset({"guardian"}), acting_for=frozenset({"child"}))
CHILD = Principal("child", frozenset({"seeker"}))
OTHER_GUARDIAN = Principal("guardian-2", frozenset({"guardian"}), acting_for=frozenset({"someone-else"}))
STAFF = Principal("staff", frozenset({"facility_staff"}), organisation_id="facility")
OTHER_STAFF = Principal("staff-2", frozenset({"facility_staff"}), organisation_id="other-facility")


def enrollment(status: S, *, minor: bool = False, **extra) -> d.Enrollment:
    participant = "child" if minor else "adult"
    applicant = "guardian" if minor else "adult"
    return replace(
        d.Enrollment(
            "e-1",
            "o-1",
            "facility",
            participant,
            applicant,
            minor,
            status=status,
            income_declared=True,
            income_cents=3_000_000,
            respond_by=(NOW.date() + timedelta(days=7)).isoformat(),
        ),
        **extra,
    )


COMMANDS = {
    "submit": (d.Submit(), ADULT),
    "invite": (d.Invite(NOW + timedelta(days=2)), STAFF),
    "accept_candidate": (d.Decide(True, "none"), STAFF),
    "reject": (d.Decide(False, "none"), STAFF),
    "offer": (d.MakeOffer(RULES, date(2027, 8, 1), date(2028, 7, 31), date(2027, 4, 1)), STAFF),
    "accept_offer": (d.Accept("doc-1"), ADULT),
    "ratify": (d.Ratify(), STAFF),
}

# the WorkPro flow, written out independently of the implementation's table
LEGAL = {
    (S.INTERESSENT, "submit"): S.BEWERBER,
    (S.BEWERBER, "invite"): S.EINGELADEN,
    (S.BEWERBER, "accept_candidate"): S.KANDIDAT,
    (S.BEWERBER, "reject"): S.ABGELEHNT,
    (S.EINGELADEN, "accept_candidate"): S.KANDIDAT,
    (S.EINGELADEN, "reject"): S.ABGELEHNT,
    (S.KANDIDAT, "submit"): S.EINGESTUFT,
    (S.EINGESTUFT, "offer"): S.ANGEBOT,
    (S.ANGEBOT, "accept_offer"): S.ANGENOMMEN,
    (S.ANGENOMMEN, "ratify"): S.RATIFIZIERT,
}


def decide(state: d.Enrollment | None, command, principal: Principal, now: datetime) -> list[Event]:
    """Who may (`contracts.app.permissions`), then what happens (the domain), as the use case does."""
    if state is not None and not state.erased:
        permissions.authorize_enrollment(state, command, principal, local_date(now))
    return d.decide(state, command, principal.account_id, now)


def status_after(events: list[Event], state: d.Enrollment) -> S:
    for event in events:
        state = d.evolve(state, event)
    return state.status


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_transition_is_allowed_or_refused(status, name):
    command, actor = COMMANDS[name]
    state = enrollment(status)
    expected = LEGAL.get((status, name))
    if expected is None:
        with pytest.raises(Conflict):
            decide(state, command, actor, NOW)
    else:
        events = decide(state, command, actor, NOW)
        assert status_after(events, state) == expected
        changed = [e for e in events if e.event_type == "EnrollmentStatusChanged"]
        assert len(changed) == 1 and changed[0].previous_status == status


@pytest.mark.parametrize("name", ["submit", "accept_offer"])
@pytest.mark.parametrize("intruder", [STAFF, OTHER_GUARDIAN, Principal("adult", frozenset({"assistant"}))])
def test_applicant_steps_refuse_everyone_else(name, intruder):
    command, _ = COMMANDS[name]
    status = S.INTERESSENT if name == "submit" else S.ANGEBOT
    with pytest.raises(Forbidden):
        decide(enrollment(status), command, intruder, NOW)


@pytest.mark.parametrize("name", ["invite", "accept_candidate", "reject", "offer", "ratify"])
@pytest.mark.parametrize(
    "intruder", [ADULT, OTHER_STAFF, Principal("x", frozenset({"coordinator"}), organisation_id="facility")]
)
def test_facility_steps_refuse_everyone_but_its_staff(name, intruder):
    command, _ = COMMANDS[name]
    status = {"offer": S.EINGESTUFT, "ratify": S.ANGENOMMEN}.get(name, S.BEWERBER)
    with pytest.raises(Forbidden):
        decide(enrollment(status), command, intruder, NOW)


@pytest.mark.parametrize(
    "command",
    [
        d.Submit(),
        d.Accept("doc"),
        d.RecordEmergencyContacts(1, "sealed"),
        d.RecordPickupPerson("p", "sealed", "photo"),
        d.DeclareIncome(100, "sealed"),
    ],
)
def test_for_a_minor_only_the_guardian_acts(command):
    status = {d.Submit: S.INTERESSENT, d.Accept: S.ANGEBOT}.get(type(command), S.KANDIDAT)
    state = enrollment(status, minor=True)
    with pytest.raises(Forbidden):
        decide(state, command, CHILD, NOW)
    with pytest.raises(Forbidden):
        decide(state, command, OTHER_GUARDIAN, NOW)
    assert decide(state, command, GUARDIAN, NOW)


def test_signed_scan_after_the_deadline_is_refused_and_on_the_day_accepted():
    on_the_day = enrollment(S.ANGEBOT, respond_by=NOW.date().isoformat())
    assert status_after(decide(on_the_day, d.Accept("doc"), ADULT, NOW), on_the_day) == S.ANGENOMMEN
    late = enrollment(S.ANGEBOT, respond_by=(NOW.date() - timedelta(days=1)).isoformat())
    with pytest.raises(Conflict, match="Frist"):
        decide(late, d.Accept("doc"), ADULT, NOW)


def test_an_offer_deadline_must_lie_between_today_and_the_start():
    state = enrollment(S.EINGESTUFT)
    for respond_by in (NOW.date() - timedelta(days=1), date(2027, 8, 2)):
        with pytest.raises(Unprocessable) as refused:
            decide(state, d.MakeOffer(RULES, date(2027, 8, 1), date(2028, 7, 31), respond_by), STAFF, NOW)
        assert refused.value.field == "respond_by"


@pytest.mark.parametrize(
    ("income", "demanded", "delivered", "fee", "basis"),
    [
        (1_500_000, False, False, 5000, "income_bracket"),
        (2_000_000, False, False, 5000, "income_bracket"),
        (2_000_001, False, False, 15000, "income_bracket"),
        (9_000_000, False, False, 30000, "income_bracket"),
        (None, False, False, 30000, "highest_no_declaration"),
        (1_500_000, True, False, 30000, "highest_no_proof"),
        (1_500_000, True, True, 5000, "income_bracket"),
    ],
)
def test_fee_rules(income, demanded, delivered, fee, basis):
    assert fee_for(RULES, income, proof_demanded=demanded, proof_delivered=delivered) == Fee(fee, basis)


def test_an_offer_without_delivered_proof_costs_the_highest_fee():
    state = enrollment(S.EINGESTUFT, income_cents=1_000_000, proof_demanded=True)
    events = decide(state, COMMANDS["offer"][0], STAFF, NOW)
    terms = next(e for e in events if isinstance(e, ev.EnrollmentOfferTermsRecorded))
    assert terms.monthly_fee_cents == 30000 and terms.fee_basis == "highest_no_proof"


def test_candidate_must_declare_income_before_resubmitting():
    with pytest.raises(Unprocessable) as refused:
        decide(enrollment(S.KANDIDAT, income_declared=False), d.Submit(), ADULT, NOW)
    assert refused.value.field == "income"


def test_what_is_missing_for_a_minor_and_an_adult():
    codes = lambda state: {m["code"] for m in state.missing(NOW.date())}  # noqa: E731
    assert codes(enrollment(S.RATIFIZIERT, minor=True)) == {"emergency_contact", "pickup_person"}
    assert codes(enrollment(S.RATIFIZIERT, minor=True, emergency_contacts=1, pickup_person_ids=("p",))) == set()
    assert codes(enrollment(S.RATIFIZIERT)) == set()
    assert codes(enrollment(S.ANGEBOT)) == {"signed_scan"}


def test_the_guardian_removes_a_pick_up_person_and_the_item_is_missing_again():
    state = enrollment(S.RATIFIZIERT, minor=True, emergency_contacts=1, starts_on="2027-08-01")
    for event in decide(state, d.RecordPickupPerson("p", "sealed", "photo"), GUARDIAN, NOW):
        state = d.evolve(state, event)
    assert state.missing(NOW.date()) == []
    for intruder in (CHILD, OTHER_GUARDIAN, STAFF):
        with pytest.raises(Forbidden):
            decide(state, d.RemovePickupPerson("p"), intruder, NOW)
    with pytest.raises(NotFound):
        decide(state, d.RemovePickupPerson("unknown"), GUARDIAN, NOW)
    events = decide(state, d.RemovePickupPerson("p"), GUARDIAN, NOW)
    assert events == [ev.PickupPersonRemoved(person_id="p")]  # no name, no photo
    state = d.evolve(state, events[0])
    assert [m["code"] for m in state.missing(NOW.date())] == ["pickup_person"]
    assert "2027-08-01" in state.missing(NOW.date())[0]["text"]
    with pytest.raises(NotFound):
        decide(state, d.RemovePickupPerson("p"), GUARDIAN, NOW)


def test_restricted_enrollments_refuse_further_processing():
    with pytest.raises(Conflict, match="eingeschränkt"):
        decide(enrollment(S.ANGENOMMEN, restricted=True), d.Ratify(), STAFF, NOW)


def test_sign_up_assigns_numbers_and_a_new_customer_number_only_once():
    command = d.SignUp(
        "e-9", "adult", "o-1", "facility", "adult", False, None, "K-000007", False, "V-2027-000009", "sealed"
    )
    events = decide(None, command, ADULT, NOW)
    assert [e.event_type for e in events] == [
        "EnrollmentStatusChanged",
        "RegistrationDataRecorded",
        "ContractNumberAssigned",
    ]
    state = None
    for event in events:
        state = d.evolve(state, event)
    assert state.status == S.INTERESSENT and not state.minor
    assert decide(state, command, ADULT, NOW) == []  # a repeated sign-up of the same id changes nothing


def test_at_majority_the_participant_takes_over_and_the_guardian_leaves_after_30_days():
    state = enrollment(S.INTERESSENT, minor=True, majority_on="2027-03-01")
    adult_child = Principal("child", frozenset({"seeker"}))
    day = lambda iso: datetime.fromisoformat(iso + "T09:00:00+00:00")  # noqa: E731
    with pytest.raises(Forbidden):
        decide(state, d.Submit(), adult_child, day("2027-02-28"))
    assert decide(state, d.Submit(), adult_child, day("2027-03-01"))
    assert decide(state, d.Submit(), GUARDIAN, day("2027-03-30"))
    with pytest.raises(Forbidden):
        decide(state, d.Submit(), GUARDIAN, day("2027-03-31"))
    assert decide(state, d.Submit(), adult_child, day("2027-03-31"))
