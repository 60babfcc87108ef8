"""Whom matching asks and which requests it closes: the pure plan, given open requests and
candidates (no I/O; storing the plan is tested in test_service.py)."""

from dataclasses import replace

from matching.domain.planning import (
    MAX_IDS_IN_EVENT,
    Candidate,
    OpenRequest,
    closed,
    matched,
    plan_for_assistant,
    plan_for_order,
    request_id,
)
from matching.domain.rules import evaluate
from matching.domain.state import AssistantState, order_from_terms
from matching.domain.time import Span
from teilhabe_events.contexts.matching import RequestCloseReason

H = 3600
PLACE = {"lat": 52.37, "lon": 9.74}


def order(order_id="order-1", revision=1):
    terms = {
        "seeker_id": "seeker-1",
        "revision": revision,
        "schedule": {
            "kind": "recurring",
            "start_date": "2026-12-01",
            "interval": "weekly",
            "appointments_per_interval": 1,
            "ranges": [{"weekday": 0, "start": "10:00:00", "end": "12:00:00"}],
        },
        "activities": ["shopping"],
        "traits": [],
        "place": PLACE,
        "max_distance_km": 10.0,
    }
    return order_from_terms(order_id, 1, terms)


ASSISTANT = AssistantState(
    assistant_id="a",
    version=1,
    activities=frozenset({"shopping"}),
    spans=(Span(0, 8 * H, 14 * H),),
    lat=PLACE["lat"],
    lon=PLACE["lon"],
    radius_km=10.0,
    activated=True,
    provider_id="prov-1",
)


def candidate(assistant_id, the_order=None, score=0.5):
    assistant = replace(ASSISTANT, assistant_id=assistant_id)
    evaluation = evaluate(assistant, the_order or order())
    assert evaluation.matches
    return Candidate(assistant, evaluation, score)


def open_request(order_id, assistant_id, revision=1):
    return OpenRequest(request_id(order_id, revision, assistant_id), order_id, assistant_id)


def test_a_first_publication_asks_every_candidate_best_first():
    the_order = order()
    plan = plan_for_order(the_order, [candidate("b", score=0.1), candidate("a", score=0.2)], [])
    assert [(r.assistant_id, r.trigger, r.revision, r.organisation_id) for r in plan.send] == [
        ("b", "order", 1, "prov-1"),
        ("a", "order", 1, "prov-1"),
    ]
    assert plan.close == []
    assert plan.send[0].request_id == str(request_id("order-1", 1, "b"))
    assert [a.value for a in plan.send[0].explanation.activities] == ["shopping"]


def test_a_republication_asks_only_new_candidates_and_closes_those_who_stopped_matching():
    still, gone = open_request("order-1", "b"), open_request("order-1", "d")
    plan = plan_for_order(order(), [candidate("a"), candidate("b"), candidate("c")], [still, gone])
    assert [r.assistant_id for r in plan.send] == ["a", "c"]
    assert plan.close == [gone.request_id]


def test_no_candidate_left_closes_every_open_request():
    requests = [open_request("order-1", "a"), open_request("order-1", "b")]
    plan = plan_for_order(order(), [], requests)
    assert plan.send == [] and plan.close == [r.request_id for r in requests]


def test_a_request_id_is_the_same_for_the_same_revision_and_assistant_only():
    assert request_id("o", 1, "a") == request_id("o", 1, "a")
    assert len({request_id("o", 1, "a"), request_id("o", 2, "a"), request_id("o", 1, "b")}) == 3


def test_an_assistant_change_asks_about_newly_matching_orders_and_closes_the_others():
    one, two = order("order-1"), order("order-2", revision=3)
    matches = {"order-1": (one, candidate("a", one)), "order-2": (two, candidate("a", two))}
    kept, stale = open_request("order-2", "a", revision=3), open_request("order-3", "a")
    plan = plan_for_assistant(matches, [kept, stale])
    assert [(r.order_id, r.revision, r.trigger) for r in plan.send] == [("order-1", 1, "assistant")]
    assert plan.close == [stale.request_id]


def test_an_assistant_who_is_gone_has_every_request_closed():
    requests = [open_request("order-1", "a"), open_request("order-2", "a")]
    plan = plan_for_assistant({}, requests)
    assert plan.send == [] and plan.close == [r.request_id for r in requests]


def test_the_matched_event_counts_all_but_names_at_most_the_best_200():
    candidates = [candidate(f"a{n:03}", score=n / 1000) for n in range(MAX_IDS_IN_EVENT + 5)]
    event = matched(order(), candidates, new_requests=3)
    assert event.candidate_count == MAX_IDS_IN_EVENT + 5 and event.new_request_count == 3
    assert event.candidate_ids == [c.assistant.assistant_id for c in candidates[:MAX_IDS_IN_EVENT]]


def test_closed_requests_become_events_by_order_and_assistant():
    requests = [open_request("order-2", "a"), open_request("order-1", "b"), open_request("order-1", "a")]
    events = closed(requests, RequestCloseReason.NO_LONGER_MATCHING)
    assert [(e.order_id, e.assistant_id, e.reason) for e in events] == [
        ("order-1", "a", RequestCloseReason.NO_LONGER_MATCHING),
        ("order-1", "b", RequestCloseReason.NO_LONGER_MATCHING),
        ("order-2", "a", RequestCloseReason.NO_LONGER_MATCHING),
    ]
