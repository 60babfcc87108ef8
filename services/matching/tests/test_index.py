"""The in-memory index gives exactly the rule's answer (checked against `evaluate` on random data)."""

import random
from dataclasses import replace

from matching.domain.rules import evaluate
from matching.domain.state import AssistantState, order_from_terms
from matching.domain.time import Span
from matching.index.assistants import AssistantIndex
from matching.index.orders import OrderIndex
from teilhabe_events.activities import Activity, Trait

ACTIVITIES = [a.value for a in Activity][:5]
TRAITS = [t.value for t in Trait][:4]


def some_spans(rng):
    spans = []
    for _ in range(rng.randint(1, 4)):
        start = rng.randrange(7 * 3600, 18 * 3600, rng.choice([60, 900]))
        spans.append(Span(rng.randrange(7), start, start + rng.randrange(1800, 6 * 3600, 300)))
    return tuple(spans)


def assistant(rng, n):
    return AssistantState(
        assistant_id=f"a{n}",
        version=1,
        activities=frozenset(rng.sample(ACTIVITIES, rng.randint(1, 5))),
        spans=some_spans(rng),
        lat=52 + rng.random() * 0.3,
        lon=9 + rng.random() * 0.45,
        radius_km=rng.choice([5.0, 10.0, 20.0]),
        traits=frozenset(rng.sample(TRAITS, rng.randint(0, 4))),
        activated=rng.random() < 0.9,
        locked=rng.random() < 0.05,
        provider_id="p" if rng.random() < 0.8 else None,
        self_employed=rng.random() < 0.3,
    )


def order(rng, n):
    spans = some_spans(rng)[:2]
    ranges = [
        {
            "weekday": s.weekday,
            "start": f"{s.start // 3600:02}:{s.start % 3600 // 60:02}:00",
            "end": f"{min(s.end, 86340) // 3600:02}:{min(s.end, 86340) % 3600 // 60:02}:00",
        }
        for s in spans
    ]
    return order_from_terms(
        f"o{n}",
        1,
        {
            "seeker_id": "s",
            "revision": 1,
            "schedule": {
                "kind": "recurring",
                "start_date": "2026-12-01",
                "interval": "weekly",
                "appointments_per_interval": 1,
                "ranges": ranges,
            },
            "activities": rng.sample(ACTIVITIES, rng.randint(1, 2)),
            "traits": rng.sample(TRAITS, rng.randint(0, 1)),
            "place": {"lat": round(52 + rng.random() * 0.3, 2), "lon": round(9 + rng.random() * 0.45, 2)},
            "max_distance_km": rng.choice([5.0, 15.0, 30.0]),
        },
    )


def test_counts_and_candidates_agree_with_the_rule():
    rng = random.Random(7)
    assistants = [assistant(rng, n) for n in range(1000)]
    orders = [order(rng, n) for n in range(100)]
    index, order_index = AssistantIndex(), OrderIndex()
    for a in assistants:
        index.put(a)
    for o in orders:
        order_index.put(o)
    matched = 0
    for o in orders:
        expected = {a.assistant_id for a in assistants if evaluate(a, o).matches}
        matched += len(expected)
        assert index.count(o) == len(expected)
        assert expected <= set(index.candidates(o))
    assert matched > 50  # the data really exercises matches
    for a in assistants[:400]:
        expected = {o.order_id for o in orders if evaluate(a, o).matches}
        assert expected <= set(order_index.candidates_for(a))


def test_changes_and_removals_reach_the_index():
    rng = random.Random(3)
    index = AssistantIndex()
    a = replace(assistant(rng, 1), activated=True, locked=False, provider_id="p")
    o = order(rng, 1)
    a = replace(a, activities=o.activities, traits=o.traits, spans=o.spans, lat=o.lat, lon=o.lon, radius_km=5.0)
    index.put(a)
    assert index.count(o) == 1
    index.put(replace(a, locked=True))
    assert index.count(o) == 0
    index.put(a)
    index.remove(a.assistant_id)
    assert index.count(o) == 0 and len(index) == 0
    for n in range(2000):  # grows past the initial capacity and reuses the freed row
        index.put(replace(a, assistant_id=f"x{n}"))
    assert index.count(o) == 2000


def test_workload_follows_awards_idempotently():
    index = AssistantIndex()
    index.award("o1", "a1")
    index.award("o1", "a1")  # a retried event
    index.award("o2", "a1")
    assert index.workload["a1"] == 2
    index.award("o1", "a2")  # awarded to someone else
    index.award("o2", None)
    index.award("o2", None)
    assert (index.workload["a1"], index.workload["a2"]) == (0, 1)
