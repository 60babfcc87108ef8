"""Domain decisions as given events / when command / then events, and the pure helpers (no I/O)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from centres.domain import decide
from centres.domain.completeness import missing
from centres.domain.events import SignatoryRecorded
from centres.domain.history import history
from centres.domain.hours import first_overlap, is_open, week_interval
from centres.domain.reasons import reasons, text
from centres.domain.state import Centre, OnboardingStatus, evolve
from teilhabe_events.centre_catalogue import CentreFunction
from teilhabe_events.contexts.centres import (
    CentreDelisted,
    CentreFunctionsChanged,
    CentreInterestRecorded,
    CentreListed,
    CentreProfile,
    CentreProfileChanged,
    CentreSeatsChanged,
    ProcessingAgreementSigned,
)
from teilhabe_events.contexts.common import WeeklyRange
from teilhabe_kit.problems import Conflict, Unprocessable

TODAY = date(2026, 12, 3)
INTEREST = CentreInterestRecorded(name="Beratung", postcode="37073", recorded_by="admin-1")
AGREEMENT = [
    ProcessingAgreementSigned(version="1", signed_on=date(2026, 11, 1)),
    SignatoryRecorded(signatory_key="k", signatory="sealed"),
]


def profile(**changes) -> CentreProfile:
    data = {
        "name": "Beratung",
        "provider": "Träger e. V.",
        "address": {"street": "Markt 1", "postcode": "37073", "city": "Göttingen"},
        "location": {"lat": 51.53, "lon": 9.93},
        "service_area": {"radius_km": 10},
        "topics": ["debt"],
        "languages": ["de"],
        "channels": ["phone"],
        "contact": {"phone": "0551 1"},
    }
    return CentreProfile.model_validate(data | changes)


def given(*events) -> Centre:
    state = None
    for event in events:
        state = evolve(state, event, centre_id="c-1")
    assert state is not None
    return state


def test_interest_starts_the_onboarding():
    assert decide.record_interest(None, name="Beratung", postcode="37073", recorded_by="admin-1") == [INTEREST]
    assert given(INTEREST).status == OnboardingStatus.INTERESTED
    with pytest.raises(Conflict):
        decide.record_interest(given(INTEREST), name="x", postcode="37073", recorded_by="a")


@pytest.mark.parametrize(
    "history_,command,then",
    [
        # a complete profile without an agreement: not listed
        (
            [INTEREST],
            lambda s: decide.change_profile(s, profile()),
            [CentreProfileChanged(revision=1, catalogue_version=1, profile=profile())],
        ),
        # the agreement after a complete profile lists the centre
        (
            [INTEREST, CentreProfileChanged(revision=1, catalogue_version=1, profile=profile())],
            lambda s: decide.sign_agreement(
                s, version="1", signed_on=date(2026, 11, 1), signatory_key="k", signatory="sealed", today=TODAY
            ),
            [*AGREEMENT, CentreListed()],
        ),
        # a complete profile after the agreement lists it
        (
            [INTEREST, *AGREEMENT],
            lambda s: decide.change_profile(s, profile()),
            [CentreProfileChanged(revision=1, catalogue_version=1, profile=profile()), CentreListed()],
        ),
        # an incomplete profile does not
        (
            [INTEREST, *AGREEMENT],
            lambda s: decide.change_profile(s, profile(topics=[])),
            [CentreProfileChanged(revision=1, catalogue_version=1, profile=profile(topics=[]))],
        ),
        # the same profile again changes nothing
        (
            [INTEREST, CentreProfileChanged(revision=1, catalogue_version=1, profile=profile())],
            lambda s: decide.change_profile(s, profile()),
            [],
        ),
        # after a delisting a change does not list it again by itself
        (
            [
                INTEREST,
                *AGREEMENT,
                CentreProfileChanged(revision=1, catalogue_version=1, profile=profile()),
                CentreListed(),
                CentreDelisted(by="centre"),
            ],
            lambda s: decide.change_profile(s, profile(name="Neu")),
            [CentreProfileChanged(revision=2, catalogue_version=1, profile=profile(name="Neu"))],
        ),
        # the directory is always among the functions, in catalogue order
        (
            [INTEREST],
            lambda s: decide.set_functions(s, [CentreFunction.ONLINE_COUNSELING]),
            [CentreFunctionsChanged(functions=[CentreFunction.DIRECTORY, CentreFunction.ONLINE_COUNSELING])],
        ),
        ([INTEREST], lambda s: decide.set_functions(s, [CentreFunction.DIRECTORY]), []),
        ([INTEREST], lambda s: decide.set_seats(s, 5), [CentreSeatsChanged(seats=5)]),
        ([INTEREST, CentreSeatsChanged(seats=5)], lambda s: decide.set_seats(s, 5), []),
        (
            [
                INTEREST,
                *AGREEMENT,
                CentreProfileChanged(revision=1, catalogue_version=1, profile=profile()),
                CentreListed(),
            ],
            lambda s: decide.delist(s, "platform"),
            [CentreDelisted(by="platform")],
        ),
    ],
)
def test_decisions(history_, command, then):
    assert command(given(*history_)) == then


def test_the_agreement_may_not_be_signed_in_the_future():
    with pytest.raises(Unprocessable) as refused:
        decide.sign_agreement(
            given(INTEREST), version="1", signed_on=date(2027, 1, 1), signatory_key="k", signatory="s", today=TODAY
        )
    assert refused.value.field == "signed_on"


def test_listing_again_needs_agreement_and_complete_profile():
    with pytest.raises(Conflict):
        decide.list_again(given(INTEREST))
    with pytest.raises(Conflict):
        decide.list_again(
            given(
                INTEREST,
                *AGREEMENT,
                CentreProfileChanged(revision=1, catalogue_version=1, profile=profile(languages=[])),
            )
        )
    delisted = given(
        INTEREST,
        *AGREEMENT,
        CentreProfileChanged(revision=1, catalogue_version=1, profile=profile()),
        CentreListed(),
        CentreDelisted(by="centre"),
    )
    assert delisted.status == OnboardingStatus.DELISTED
    assert decide.list_again(delisted) == [CentreListed()]


def test_completeness_names_what_is_missing():
    assert missing(None) == ["profile"]
    assert missing(profile()) == []
    incomplete = profile(topics=[], contact={}, service_area={"postcodes": []})
    assert missing(incomplete) == ["topics", "contact", "service_area"]


def weekly(day: int, start: str, end: str) -> WeeklyRange:
    return WeeklyRange(weekday=day, start=time.fromisoformat(start), end=time.fromisoformat(end))


def test_opening_hours_overlap_and_open_now():
    assert week_interval(weekly(1, "09:00", "12:00")) == (1440 + 540, 1440 + 720)
    assert first_overlap([weekly(0, "09:00", "12:00"), weekly(0, "12:00", "13:00")]) is None  # touching is fine
    assert first_overlap([weekly(0, "09:00", "12:00"), weekly(1, "10:00", "11:00"), weekly(0, "11:59", "13:00")]) == 2
    hours = profile(
        opening_hours={"weekly": [{"weekday": 3, "start": "09:00", "end": "12:00"}], "closed_on": ["2026-12-24"]}
    ).opening_hours
    assert is_open(hours, datetime(2026, 12, 3, 8, 30, tzinfo=UTC))  # Thursday 09:30 in Berlin (UTC+1)
    assert not is_open(hours, datetime(2026, 12, 3, 7, 30, tzinfo=UTC))  # 08:30 in Berlin
    assert not is_open(hours, datetime(2026, 12, 24, 9, 0, tzinfo=UTC))  # a closing day (a Thursday)
    summer = datetime(2026, 7, 2, 7, 30, tzinfo=UTC)  # Thursday 09:30 in Berlin (UTC+2)
    assert is_open(hours, summer)


def test_reasons_in_words():
    found = reasons(
        distance_km=4.23,
        covers=True,
        topics=["debt", "care"],
        languages=["de", "tr"],
        channels=["phone"],
        accessibility=["step_free", "parking"],
        target_groups=[],
        wanted_topics=["debt"],
        wanted_languages=["tr"],
    )
    assert (
        text(found, "de")
        == "berät zu Schulden · 4,2 km · zuständig für Ihren Ort · Rollstuhlgerecht (stufenlos) · Beratung auf Türkisch"
    )
    assert (
        text(found, "en")
        == "advises on debt · 4.2 km · responsible for your place · Step-free access · counseling in Turkish"
    )
    assert [r.kind for r in found] == ["topic", "distance", "covers", "accessibility", "language"]


def test_history_names_the_changed_fields():
    at = datetime(2026, 12, 1, tzinfo=UTC)
    stored = [
        (1, at, "admin-1", INTEREST),
        (2, at, "ca-1", CentreProfileChanged(revision=1, catalogue_version=1, profile=profile())),
        (
            3,
            at,
            "ca-1",
            CentreProfileChanged(
                revision=2, catalogue_version=1, profile=profile(languages=["de", "ar"], channels=["chat"])
            ),
        ),
    ]
    entries = history(stored)
    assert entries[0].de == "Interesse erfasst: Beratung"
    assert "name" in entries[1].changed and entries[2].changed == ["languages", "channels"]
    assert (entries[2].actor_id, entries[2].version) == ("ca-1", 3)
