"""Assistance-contract decisions without I/O: every transition allowed or refused, roles (the use
cases' permission check before the domain decides), ratings, bookings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts.app import permissions
from contracts.domain import assistance as d
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Conflict, Forbidden, Unprocessable

NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
SLOT = NOW + timedelta(days=2)

SEEKER = Principal("seeker", frozenset({"seeker"}))
GUARDIAN = Principal("guardian", frozenset({"guardian"}), acting_for=frozenset({"seeker"}))
ASSISTANT = Principal("assistant", frozenset({"assistant"}))
COORDINATOR = Principal("coord", frozenset({"coordinator"}), organisation_id="provider")
OTHER_COORDINATOR = Principal("coord-2", frozenset({"coordinator"}), organisation_id="other")
STRANGER = Principal("stranger", frozenset({"seeker"}))


def contract(status: str, *, organisation_id: str | None = "provider", **extra) -> d.Contract:
    base = d.Contract(
        "c-1",
        "order-1",
        "offer-1",
        "seeker",
        "assistant",
        organisation_id,
        status=status,
        slots=(SLOT.isoformat(),),
        draft_revision=1 if status != "opened" else 0,
        starts_on="2027-03-01" if status in {"drafted", "ratified", "ended"} else None,
        signed=frozenset({"seeker", "assistant"}) if status in {"ratified", "ended"} else frozenset(),
    )
    return replace(base, **extra)


STATES = [
    "opened",
    "meeting_proposed",
    "meeting_scheduled",
    "meeting_held",
    "drafted",
    "ratified",
    "ended",
    "declined",
    "cancelled",
]

COMMANDS = {
    "propose": (d.ProposeMeeting((SLOT,)), COORDINATOR),
    "pick": (d.PickMeeting(SLOT), SEEKER),
    "decline": (d.Decline(), SEEKER),
    "held": (d.RecordMeetingHeld(NOW - timedelta(hours=1)), COORDINATOR),
    "draft": (
        d.DraftContract(date(2027, 4, 1), {"sealed": "x", "payer": "private", "hourly_rate_cents": 3000}),
        COORDINATOR,
    ),
    "sign": (d.Sign("seeker", "in_app"), SEEKER),
    "ratify": (d.Ratify(), COORDINATOR),
    "end": (d.EndContract("notice_by_seeker", date(2027, 6, 30)), SEEKER),
    "rate": (d.Rate("2027-03", 5, None), SEEKER),
    "book": (d.RecordBooking("b-1", date(2027, 3, 5), 90), ASSISTANT),
}

LEGAL = {
    ("opened", "propose"): "meeting_proposed",
    ("meeting_proposed", "propose"): "meeting_proposed",
    ("meeting_proposed", "pick"): "meeting_scheduled",
    ("meeting_scheduled", "decline"): "declined",
    ("meeting_held", "decline"): "declined",
    ("drafted", "decline"): "declined",
    ("meeting_scheduled", "held"): "meeting_held",
    ("meeting_held", "draft"): "drafted",
    ("drafted", "draft"): "drafted",
    ("drafted", "sign"): "drafted",
    ("ratified", "end"): "ended",
    ("ratified", "rate"): "ratified",
    ("ended", "rate"): "ended",
    ("ratified", "book"): "ratified",
    ("ended", "book"): "ended",
}
"""The flow written out independently; ratify needs both signatures and has its own test."""


def decide(state: d.Contract | None, command, principal: Principal | None, now: datetime) -> list:
    """Who may (`contracts.app.permissions`), then what happens (the domain), as the use case does."""
    if state is not None and not state.erased and principal is not None:
        command = permissions.authorize_contract(state, command, principal)
    return d.decide(state, command, principal.account_id if principal else None, now)


def fold(state: d.Contract, events) -> d.Contract:
    for event in events:
        state = d.evolve(state, event)
    return state


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_transition_is_allowed_or_refused(status, name):
    command, actor = COMMANDS[name]
    state = contract(status, ends_on="2027-06-30" if status == "ended" else None)
    expected = LEGAL.get((status, name))
    if expected is None:
        with pytest.raises(Conflict):
            decide(state, command, actor, NOW)
    else:
        assert fold(state, decide(state, command, actor, NOW)).status == expected


def test_ratification_needs_both_signatures_of_the_current_draft():
    drafted = contract("drafted")
    with pytest.raises(Conflict, match="Unterschriften"):
        decide(drafted, d.Ratify(), COORDINATOR, NOW)
    signed = fold(drafted, decide(drafted, d.Sign("seeker", "in_app"), SEEKER, NOW))
    signed = fold(signed, decide(signed, d.Sign("assistant", "scan"), ASSISTANT, NOW))
    ratified = decide(signed, d.Ratify(), COORDINATOR, NOW)
    assert [e.event_type for e in ratified] == ["ContractRatified"] and fold(signed, ratified).status == "ratified"
    redrafted = fold(signed, decide(signed, COMMANDS["draft"][0], COORDINATOR, NOW))
    assert redrafted.signed == frozenset() and redrafted.draft_revision == 2


@pytest.mark.parametrize(
    ("name", "intruder"),
    [
        ("propose", SEEKER),
        ("propose", ASSISTANT),
        ("propose", OTHER_COORDINATOR),
        ("pick", ASSISTANT),
        ("pick", COORDINATOR),
        ("pick", STRANGER),
        ("held", SEEKER),
        ("held", ASSISTANT),
        ("held", OTHER_COORDINATOR),
        ("draft", SEEKER),
        ("draft", OTHER_COORDINATOR),
        ("ratify", ASSISTANT),
        ("ratify", SEEKER),
        ("end", ASSISTANT),
        ("end", STRANGER),
        ("rate", ASSISTANT),
        ("rate", COORDINATOR),
        ("book", SEEKER),
        ("book", COORDINATOR),
        ("decline", STRANGER),
        ("decline", OTHER_COORDINATOR),
    ],
)
def test_wrong_party_is_refused(name, intruder):
    command, _ = COMMANDS[name]
    status = {
        "propose": "opened",
        "pick": "meeting_proposed",
        "held": "meeting_scheduled",
        "draft": "meeting_held",
        "ratify": "drafted",
        "decline": "meeting_scheduled",
    }.get(name, "ratified")
    state = contract(status, signed=frozenset({"seeker", "assistant"}))
    with pytest.raises(Forbidden):
        decide(state, command, intruder, NOW)


def test_no_contract_before_the_get_to_know_meeting_took_place():
    """Regression: a contract could be drafted, signed and ratified while the meeting was still ahead."""
    scheduled = contract("meeting_scheduled", meeting_at=SLOT.isoformat())
    with pytest.raises(Conflict, match="Kennenlern-Treffen"):
        decide(scheduled, COMMANDS["draft"][0], COORDINATOR, NOW)
    with pytest.raises(Unprocessable) as refused:
        decide(scheduled, d.RecordMeetingHeld(SLOT), COORDINATOR, NOW)
    assert refused.value.field == "held_at"
    held = fold(scheduled, decide(scheduled, d.RecordMeetingHeld(SLOT), COORDINATOR, SLOT + timedelta(hours=1)))
    assert held.status == "meeting_held" and held.meeting_at == SLOT.isoformat()
    assert fold(held, decide(held, COMMANDS["draft"][0], COORDINATOR, SLOT)).status == "drafted"


def test_a_guardian_acts_for_the_seeker_and_signs_only_as_seeker():
    state = contract("drafted")
    assert decide(state, d.Sign("seeker", "in_app"), GUARDIAN, NOW)[0].signed_by == "guardian"
    with pytest.raises(Forbidden):
        decide(state, d.Sign("assistant", "in_app"), GUARDIAN, NOW)


def test_a_self_employed_assistant_is_the_provider_side():
    state = contract("opened", organisation_id=None)
    assert decide(state, COMMANDS["propose"][0], ASSISTANT, NOW)
    with pytest.raises(Forbidden):
        decide(state, COMMANDS["propose"][0], COORDINATOR, NOW)


def test_meeting_dates_must_be_future_and_picked_from_the_proposal():
    with pytest.raises(Unprocessable) as refused:
        decide(contract("opened"), d.ProposeMeeting((NOW - timedelta(hours=1),)), COORDINATOR, NOW)
    assert refused.value.field == "slots"
    with pytest.raises(Unprocessable) as refused:
        decide(contract("meeting_proposed"), d.PickMeeting(SLOT + timedelta(hours=1)), SEEKER, NOW)
    assert refused.value.field == "slot"


def test_one_rating_per_contract_and_month_within_the_contract():
    state = contract("ratified")
    rated = fold(state, decide(state, d.Rate("2027-03", 4, "sealed"), SEEKER, NOW))
    with pytest.raises(Conflict):
        decide(rated, d.Rate("2027-03", 5, None), SEEKER, NOW)
    for period in ("2027-02", "2027-04"):  # before the start, in the future
        with pytest.raises(Unprocessable):
            decide(rated, d.Rate(period, 5, None), SEEKER, NOW)


def test_bookings_lie_in_the_contract_and_are_approved_once_by_the_provider():
    state = contract("ratified")
    with pytest.raises(Unprocessable):
        decide(state, d.RecordBooking("b-0", date(2027, 3, 11), 60), ASSISTANT, NOW)  # future
    booked = fold(state, decide(state, COMMANDS["book"][0], ASSISTANT, NOW))
    assert decide(booked, COMMANDS["book"][0], ASSISTANT, NOW) == []  # same booking id: nothing new
    with pytest.raises(Forbidden):
        decide(booked, d.ApproveBooking("b-1"), ASSISTANT, NOW)
    approved = fold(booked, decide(booked, d.ApproveBooking("b-1"), COORDINATOR, NOW))
    with pytest.raises(Conflict):
        decide(approved, d.ApproveBooking("b-1"), COORDINATOR, NOW)
    self_employed = fold(
        contract("ratified", organisation_id=None),
        decide(contract("ratified", organisation_id=None), COMMANDS["book"][0], ASSISTANT, NOW),
    )
    assert decide(self_employed, d.ApproveBooking("b-1"), SEEKER, NOW)[0].event_type == "BookingApproved"


def test_today_is_the_day_in_berlin_not_in_utc():
    """At 23:30 UTC on 10 March it is already 11 March in Germany: that day may be booked."""
    late = datetime(2027, 3, 10, 23, 30, tzinfo=UTC)
    events = decide(contract("ratified"), d.RecordBooking("b-2", date(2027, 3, 11), 60), ASSISTANT, late)
    assert [e.event_type for e in events] == ["BookingRecorded"]
    with pytest.raises(Unprocessable):
        decide(contract("ratified"), d.RecordBooking("b-3", date(2027, 3, 12), 60), ASSISTANT, late)


def test_cancellation_closes_only_open_processes():
    assert (
        decide(contract("meeting_scheduled"), d.CancelProcess("order_withdrawn"), None, NOW)[0].event_type
        == "ContractProcessCancelled"
    )
    for status in ("ratified", "declined", "cancelled"):
        assert decide(contract(status), d.CancelProcess("order_withdrawn"), None, NOW) == []


def test_restricted_and_erased_contracts_refuse_processing():
    with pytest.raises(Conflict, match="eingeschränkt"):
        decide(contract("drafted", restricted=True), d.Sign("seeker", "in_app"), SEEKER, NOW)
    with pytest.raises(Conflict, match="gelöscht"):
        decide(contract("ended", erased=True), COMMANDS["rate"][0], SEEKER, NOW)
    assert not permissions.sees_contract(contract("ratified", restricted=True), SEEKER)
    assert permissions.sees_contract(contract("ratified", restricted=True), COORDINATOR)
