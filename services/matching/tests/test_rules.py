"""The candidate rule as a table: each row breaks one part of the rule (DESIGN.md §8)."""

from dataclasses import replace

import pytest

from matching.domain.rules import evaluate, haversine_km
from matching.domain.state import AssistantState, order_from_terms
from matching.domain.time import Span

HANNOVER = (52.37, 9.74)
KM_PER_DEGREE_LAT = haversine_km(52.0, 9.74, 53.0, 9.74)


def north_of(place, km):
    return round(place[0] + km / KM_PER_DEGREE_LAT, 6), place[1]


def order(**changes):
    terms = {
        "seeker_id": "seeker-1",
        "revision": 1,
        "schedule": {
            "kind": "recurring",
            "start_date": "2026-12-01",
            "interval": "weekly",
            "appointments_per_interval": 2,
            "ranges": [
                {"weekday": 0, "start": "10:00:00", "end": "12:00:00"},
                {"weekday": 3, "start": "14:00:00", "end": "15:30:00"},
            ],
        },
        "activities": ["shopping", "walks"],
        "traits": ["language_de"],
        "place": {"lat": HANNOVER[0], "lon": HANNOVER[1]},
        "max_distance_km": 10.0,
    } | changes
    return order_from_terms("order-1", 1, terms)


H = 3600
ASSISTANT = AssistantState(
    assistant_id="asst-1",
    version=5,
    activities=frozenset({"shopping", "walks", "cooking"}),
    spans=(Span(0, 9 * H, 11 * H), Span(0, 11 * H, 13 * H), Span(3, 14 * H, 16 * H)),
    lat=north_of(HANNOVER, 5)[0],
    lon=HANNOVER[1],
    radius_km=8.0,
    traits=frozenset({"language_de", "non_smoker"}),
    activated=True,
    provider_id="prov-1",
)

CASES = [
    ("activity missing", replace(ASSISTANT, activities=frozenset({"shopping"})), order(), {"activities"}),
    (
        "time range one minute short",
        replace(ASSISTANT, spans=(Span(0, 9 * H, 13 * H), Span(3, 14 * H, 15 * H + 29 * 60))),
        order(),
        {"times"},
    ),
    (
        "starts one minute late",
        replace(ASSISTANT, spans=(Span(0, 10 * H + 60, 13 * H), Span(3, 14 * H, 16 * H))),
        order(),
        {"times"},
    ),
    ("just outside the assistant's radius", replace(ASSISTANT, radius_km=4.99), order(), {"assistant_radius"}),
    ("just outside the order's distance", ASSISTANT, order(max_distance_km=4.99), {"order_distance"}),
    ("trait missing", replace(ASSISTANT, traits=frozenset({"non_smoker"})), order(), {"traits"}),
    ("not activated", replace(ASSISTANT, activated=False), order(), {"inactive"}),
    ("locked", replace(ASSISTANT, locked=True), order(), {"inactive"}),
    ("marked for deletion", replace(ASSISTANT, deletion_requested=True), order(), {"inactive"}),
    ("neither provider nor self-employed", replace(ASSISTANT, provider_id=None), order(), {"no_provider"}),
    ("no place", replace(ASSISTANT, lat=None, lon=None), order(), {"no_place"}),
]


@pytest.mark.parametrize(("case", "assistant", "the_order", "reasons"), CASES, ids=[c[0] for c in CASES])
def test_one_broken_part_means_no_candidate(case, assistant, the_order, reasons):
    result = evaluate(assistant, the_order)
    assert not result.matches
    assert set(result.reasons) == reasons


def test_all_satisfied_is_a_candidate_with_the_explanation():
    result = evaluate(ASSISTANT, order())
    assert result.matches and result.reasons == ()
    assert result.activities == ("shopping", "walks")
    assert result.covered == (Span(0, 10 * H, 12 * H), Span(3, 14 * H, 15 * H + 30 * 60))
    assert result.traits == ("language_de",)
    assert result.distance_km == pytest.approx(5.0, abs=0.01)


def test_exactly_on_both_radii_and_touching_ranges_still_match():
    d = haversine_km(ASSISTANT.lat, ASSISTANT.lon, *HANNOVER)
    assistant = replace(ASSISTANT, radius_km=d)
    assert evaluate(assistant, order(max_distance_km=d)).matches


def test_self_employed_without_provider_is_a_candidate():
    assert evaluate(replace(ASSISTANT, provider_id=None, self_employed=True), order()).matches


def test_one_time_order_uses_its_weekday_and_range():
    monday = {"kind": "one_time", "date": "2026-12-07", "start": "10:30:00", "end": "11:15:00"}
    tuesday = monday | {"date": "2026-12-08"}
    assert evaluate(ASSISTANT, order(schedule=monday)).matches
    result = evaluate(ASSISTANT, order(schedule=tuesday))
    assert result.reasons == ("times",) and result.uncovered == (Span(1, 10 * H + 1800, 11 * H + 900),)


def test_recurring_order_needs_every_weekly_range():
    partly = replace(ASSISTANT, spans=(Span(0, 9 * H, 13 * H),))
    assert evaluate(partly, order()).uncovered == (Span(3, 14 * H, 15 * H + 1800),)


def test_ranking_prefers_near_then_not_busy_then_a_good_fit():
    from matching.domain.rules import rank_score

    the_order = order()
    near, far = ASSISTANT, replace(ASSISTANT, lat=north_of(HANNOVER, 7)[0])
    score = lambda a, work=0: rank_score(evaluate(a, the_order), a, the_order, work)  # noqa: E731
    assert score(near) < score(far)
    assert score(near, work=0) < score(near, work=2) < score(near, work=5) == score(near, work=9)
    wide = replace(ASSISTANT, spans=(Span(0, 6 * H, 20 * H), Span(3, 8 * H, 20 * H)))
    assert score(ASSISTANT) < score(wide)  # the order uses more of what the first one offers
