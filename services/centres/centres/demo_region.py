"""A generated region of counseling centres across Germany (deterministic: the same seed, the same
centres), for the local demo and the finder benchmark."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import time

from centres import places
from teilhabe_events.centre_catalogue import TOPIC_LABELS, AccessibilityFact, Channel, Language, TargetGroup, Topic
from teilhabe_events.contexts.centres import CentreProfile
from teilhabe_events.contexts.common import WeeklyRange

NAMESPACE = uuid.UUID("5e1c0000-de00-4000-8000-00000000d3e0")
PROVIDERS = ["Caritasverband", "Diakonisches Werk", "AWO", "DRK-Kreisverband", "Der Paritätische", "Stadt", "Landkreis"]
STREETS = ["Hauptstraße", "Bahnhofstraße", "Kirchplatz", "Marktstraße", "Schulweg", "Lindenallee", "Am Rathaus"]
MORNING = (time(9), time(12))
AFTERNOON = (time(13, 30), time(16))


def centre_id(index: int) -> str:
    """The id of the region's `index`-th generated centre (stable across runs)."""
    return str(uuid.uuid5(NAMESPACE, f"centre-{index}"))


def _hours(rng: random.Random) -> list[WeeklyRange]:
    ranges = []
    for day in sorted(rng.sample(range(5), rng.randint(2, 5))):
        ranges.append(WeeklyRange(weekday=day, start=MORNING[0], end=MORNING[1]))
        if rng.random() < 0.6:
            ranges.append(WeeklyRange(weekday=day, start=AFTERNOON[0], end=AFTERNOON[1]))
    return ranges


def profiles(count: int, seed: int = 14) -> Iterator[tuple[str, CentreProfile]]:
    """`count` centres at random places of Germany (ids `centre_id(0..count-1)`), complete profiles."""
    rng = random.Random(seed)
    everywhere = [p for p in places.all_places() if p.state in places.STATES]
    languages = [lang for lang in Language if lang != Language.GERMAN]
    for index in range(count):
        place = rng.choice(everywhere)
        topics = rng.sample(list(Topic), rng.randint(1, 3))
        label = TOPIC_LABELS[topics[0]][0].split(" (")[0]
        profile = CentreProfile.model_validate(
            {
                "name": f"Beratungsstelle {label} {place.name}",
                "provider": f"{rng.choice(PROVIDERS)} {place.name}",
                "description": "Kostenlose und vertrauliche Beratung. (Demo-Daten)",
                "address": {
                    "street": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                    "postcode": place.postcode,
                    "city": place.name,
                },
                "location": {
                    "lat": round(place.lat + rng.uniform(-0.01, 0.01), 5),
                    "lon": round(place.lon + rng.uniform(-0.01, 0.01), 5),
                },
                "service_area": {"postcodes": [place.postcode], "radius_km": rng.choice([10, 15, 20, 30, 40])},
                "topics": topics,
                "target_groups": rng.sample(list(TargetGroup), rng.randint(1, 3)),
                "languages": [Language.GERMAN, *rng.sample(languages, rng.choice([0, 0, 1, 1, 2, 3]))],
                "accessibility": rng.sample(list(AccessibilityFact), rng.randint(0, 4)),
                "opening_hours": {"weekly": _hours(rng)},
                "channels": rng.sample(list(Channel), rng.randint(1, 4)),
                "contact": {
                    "phone": f"0{rng.randint(30, 9999)} {rng.randint(10000, 999999)}",
                    "email": f"beratung{index}@demo-beratung.example",
                },
            }
        )
        yield centre_id(index), profile
