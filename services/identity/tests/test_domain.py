"""Domain rules as given / when / then tables (no I/O)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from identity import passwords
from identity.app.public import public_events
from identity.domain import account as domain
from identity.domain import events as e
from identity.domain.rules import guardian_access_ends, guardian_may_act, majority_date, overlapping, required_steps
from identity.domain.sessions import RefreshOutcome, RefreshToken, check_refresh, minutes_to_wait, retry_after
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_events.contexts.identity import VerificationStep as S
from teilhabe_kit.problems import Conflict, Unprocessable

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def registered(role=AccountRole.ASSISTANT, **extra) -> e.Registered:
    return e.Registered(role=role, name="X", email="x@beispiel.de", postcode="37154", **extra)


def given(*events: e.Event) -> domain.Account:
    return domain.replay("acc-1", list(events))


ASSISTANT_WITH_PROVIDER = registered(organisation_id="org-1")
SELF_EMPLOYED = registered(self_employed=True)
SEEKER = registered(AccountRole.SEEKER)


@pytest.mark.parametrize(
    "history, expected_missing",
    [
        ([SEEKER], {S.INTRO_CALL, S.ID_DOCUMENT}),
        ([SEEKER, e.StepRecorded(step=S.INTRO_CALL, reason="ok", recorded_by="a")], {S.ID_DOCUMENT}),
        (
            [ASSISTANT_WITH_PROVIDER],
            {
                S.INTRO_CALL,
                S.ID_DOCUMENT,
                S.POLICE_CERTIFICATE,
                S.MEASLES_PROTECTION,
                S.PROVIDER_INTERVIEW,
                S.PROVIDER_ACCEPTANCE,
            },
        ),
        (
            [SELF_EMPLOYED],
            {S.INTRO_CALL, S.ID_DOCUMENT, S.POLICE_CERTIFICATE, S.MEASLES_PROTECTION, S.SELF_EMPLOYMENT_PROOF},
        ),
    ],
)
def test_activation_is_refused_until_every_required_step_is_recorded(history, expected_missing):
    state = given(*history)
    assert state.missing_steps() == expected_missing
    with pytest.raises(Conflict):
        domain.activate(state, "admin-1")


def test_activation_when_complete_and_an_assistant_of_a_provider_becomes_its_member():
    steps = [e.StepRecorded(step=s, reason="geprüft", recorded_by="a") for s in required_steps(AccountRole.ASSISTANT)]
    state = given(ASSISTANT_WITH_PROVIDER, *steps)
    assert domain.activate(state, "admin-1") == [
        e.Activated(activated_by="admin-1"),
        e.MembershipApproved(organisation_id="org-1", role=AccountRole.ASSISTANT),
    ]
    active = given(ASSISTANT_WITH_PROVIDER, *steps, e.Activated(activated_by="admin-1"))
    assert active.may_log_in()
    with pytest.raises(Conflict):
        domain.activate(active, "admin-1")
    with pytest.raises(Conflict):  # verification is over
        domain.record_step(active, S.INTRO_CALL, "again", "a")


def test_a_step_outside_the_roles_workflow_or_twice_is_refused():
    with pytest.raises(Unprocessable) as wrong:
        domain.record_step(given(SEEKER), S.POLICE_CERTIFICATE, "x", "a")
    assert wrong.value.field == "step"
    with pytest.raises(Unprocessable):  # self-employed assistants have no provider acceptance
        domain.record_step(given(SELF_EMPLOYED), S.PROVIDER_ACCEPTANCE, "x", "a")
    with pytest.raises(Conflict):
        domain.record_step(
            given(SEEKER, e.StepRecorded(step=S.INTRO_CALL, reason="r", recorded_by="a")), S.INTRO_CALL, "x", "a"
        )


def test_refusal_locking_deletion_and_restore():
    state = given(SEEKER)
    refused = given(SEEKER, *domain.refuse(state, "kein echter Mensch", "admin-1"))
    assert refused.status == domain.Status.REFUSED and not refused.may_log_in()
    locked = given(SEEKER, e.Activated(activated_by="a"), e.Locked(reason="r", locked_by="a"))
    assert not locked.may_log_in()
    with pytest.raises(Conflict):
        domain.lock(locked, "again", "a")
    marked = given(
        SEEKER, e.Activated(activated_by="a"), e.DeletionRequested(erase_after=date(2026, 12, 1), requested_by="a")
    )
    assert not marked.may_log_in()
    assert domain.erase(marked, date(2026, 11, 30)) == []  # retention not over
    assert domain.erase(marked, date(2026, 12, 1)) == [e.Erased()]
    assert domain.restore(marked, "a") == [e.Restored(restored_by="a")]
    erased = given(SEEKER, e.DeletionRequested(erase_after=date(2026, 12, 1), requested_by="a"), e.Erased())
    with pytest.raises(Conflict):
        domain.restore(erased, "a")
    assert domain.erase(erased, date(2027, 1, 1)) == []


@pytest.mark.parametrize(
    "birth, majority, access_ends",
    [
        (date(2010, 5, 17), date(2028, 5, 17), date(2028, 6, 16)),
        (date(2008, 2, 29), date(2026, 3, 1), date(2026, 3, 31)),  # born on a leap day
        (date(2009, 12, 20), date(2027, 12, 20), date(2028, 1, 19)),
    ],
)
def test_guardian_access_ends_30_days_after_the_18th_birthday(birth, majority, access_ends):
    assert majority_date(birth) == majority
    assert guardian_access_ends(birth) == access_ends
    assert guardian_may_act(access_ends, access_ends - timedelta(days=1))
    assert not guardian_may_act(access_ends, access_ends)


def test_guardian_assignment_and_hand_over():
    state = given(SEEKER)
    [assigned] = domain.assign_guardian(state, "guardian-1", date(2010, 5, 17), today=date(2026, 11, 22))
    assert assigned.acts_until == date(2028, 6, 16) and assigned.birth_date == "2010-05-17"
    with pytest.raises(Unprocessable) as adult:
        domain.assign_guardian(state, "guardian-1", date(2000, 1, 1), today=date(2026, 11, 22))
    assert adult.value.field == "birth_date"
    ward = given(SEEKER, assigned)
    assert domain.expired_guardianships(ward, date(2028, 6, 15)) == []
    assert domain.expired_guardianships(ward, date(2028, 6, 16)) == [e.GuardianshipEnded(guardian_id="guardian-1")]


def test_refresh_token_rotation_and_reuse_detection():
    token = RefreshToken("t1", "f1", "acc-1", expires_at=NOW + timedelta(days=1))
    assert check_refresh(token, NOW) == RefreshOutcome.ROTATE
    assert (
        check_refresh(RefreshToken("t1", "f1", "a", NOW + timedelta(days=1), rotated_at=NOW), NOW)
        == RefreshOutcome.REUSED
    )
    assert (
        check_refresh(RefreshToken("t1", "f1", "a", NOW + timedelta(days=1), NOW, revoked_at=NOW), NOW)
        == RefreshOutcome.REVOKED
    )
    assert check_refresh(RefreshToken("t1", "f1", "a", NOW), NOW) == RefreshOutcome.EXPIRED


def test_login_throttle_waits_until_the_oldest_counted_failure_leaves_the_window():
    window = timedelta(minutes=15)
    failures = [NOW - timedelta(minutes=m) for m in (14, 10, 5, 2)]
    assert retry_after(failures, NOW, limit=5, window=window) is None
    assert retry_after([*failures, NOW], NOW, limit=5, window=window) == 61
    assert retry_after([*failures, NOW - timedelta(minutes=20)], NOW, limit=5, window=window) is None


def test_the_wait_reads_alike_seconds_apart():
    assert minutes_to_wait(901) == minutes_to_wait(899) == minutes_to_wait(880) == 15
    assert minutes_to_wait(1) == 1


def test_overlapping_weekly_ranges():
    def r(day, start, end):
        return WeeklyRange(weekday=day, start=time(start), end=time(end))

    assert overlapping([r(0, 8, 12), r(0, 12, 14), r(1, 9, 10)]) is None  # touching is fine
    assert overlapping([r(2, 8, 12), r(2, 11, 13)]) == (r(2, 8, 12), r(2, 11, 13))
    with pytest.raises(Unprocessable) as refused:
        domain.register(domain.Account(id="x"), registered(ranges=(r(2, 8, 12), r(2, 9, 10))))
    assert refused.value.field == "availability"


def test_public_events_carry_no_personal_data_and_seeker_needs_stay_inside():
    place = CoarsePlace.around(51.7123, 9.9876)
    assistant = registered(
        organisation_id="org-1", place=place, radius_km=10.0, activities=("shopping",), traits=("driving_licence",)
    )
    state = domain.evolve(domain.Account(id="a"), assistant)
    published = public_events(state, assistant)
    assert [p.event_type for p in published] == [
        "AccountRegistered",
        "ActivitiesChanged",
        "AvailabilityChanged",
        "TraitsChanged",
        "PlaceChanged",
    ]
    dumped = str([p.model_dump() for p in published])
    assert "x@beispiel.de" not in dumped and "37154" not in dumped and "'X'" not in dumped
    assert published[-1].place == CoarsePlace(lat=51.71, lon=9.99)
    seeker_registered = registered(AccountRole.SEEKER, place=place, needs=("accompany_appointments",))
    seeker = domain.evolve(domain.Account(id="s"), seeker_registered)
    assert [p.event_type for p in public_events(seeker, seeker_registered)] == ["AccountRegistered", "PlaceChanged"]
    assert public_events(seeker, e.NeedsChanged(needs=("shopping",))) == []
    assert public_events(seeker, e.TimeWindowsChanged(time_windows=())) == []
    assert public_events(seeker, e.ContactChanged(name="Y")) == []


def test_profile_changes_fit_the_role():
    seeker, assistant = given(SEEKER), given(SELF_EMPLOYED)
    with pytest.raises(Conflict):
        domain.change_profile(seeker, e.ActivitiesChanged(activities=("shopping",)))
    with pytest.raises(Conflict):
        domain.change_profile(assistant, e.NeedsChanged(needs=("shopping",)))
    assert domain.change_profile(seeker, e.NeedsChanged(needs=("shopping",))) == [e.NeedsChanged(needs=("shopping",))]
    place = e.PlaceChanged(postcode="37154", place=CoarsePlace(lat=51.71, lon=9.99), radius_km=5)
    with pytest.raises(Unprocessable) as radius:
        domain.change_profile(seeker, place)
    assert radius.value.field == "radius_km"


@pytest.mark.parametrize(
    "password, weak",
    [
        ("kurz", True),
        ("passwort123", True),
        ("aaaaaaaaaaaa", True),
        ("Mustermann-2026!", True),
        ("Blauer-Himmel-über-Northeim-7", False),
    ],
)
def test_weak_passwords(password, weak):
    assert (passwords.weakness(password, "Erika Mustermann", "erika@beispiel.de") is not None) == weak
