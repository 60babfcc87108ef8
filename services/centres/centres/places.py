"""Place names and states of German postcodes (GeoNames, CC BY 4.0 — see `data/places_de.tsv`).

Coordinates of a postcode come from the project's postcode table (`teilhabe_kit.postcodes`);
this module adds what that table lacks: the place names (to search by name), the state
(Bundesland) a postcode lies in, which is the region whose fallback centre covers white spots,
and coordinates of the postcodes GeoNames knows but the table does not.
"""

from __future__ import annotations

import csv
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from teilhabe_kit import postcodes

DATA = Path(__file__).with_name("data") / "places_de.tsv"

STATES: dict[str, str] = {
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "BE": "Berlin",
    "BB": "Brandenburg",
    "HB": "Bremen",
    "HH": "Hamburg",
    "HE": "Hessen",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "SH": "Schleswig-Holstein",
    "TH": "Thüringen",
}


@dataclass(frozen=True)
class Place:
    postcode: str
    name: str
    state: str
    lat: float
    lon: float


@functools.cache
def _places() -> tuple[Place, ...]:
    with DATA.open(encoding="utf-8") as lines:
        rows = csv.reader((line for line in lines if not line.startswith("#")), delimiter="\t")
        return tuple(Place(p, n, s, float(lat), float(lon)) for p, n, s, lat, lon in rows if s in STATES)


@functools.cache
def _by_name() -> dict[str, tuple[Place, ...]]:
    found: dict[str, list[Place]] = {}
    for place in _places():
        found.setdefault(place.name.casefold(), []).append(place)
    return {name: tuple(places) for name, places in found.items()}


@functools.cache
def _states() -> dict[str, str]:
    votes: dict[str, Counter[str]] = {}
    for place in _places():
        votes.setdefault(place.postcode, Counter())[place.state] += 1
    return {postcode: counter.most_common(1)[0][0] for postcode, counter in votes.items()}


def all_places() -> tuple[Place, ...]:
    """Every place (one row per postcode and place name)."""
    return _places()


@functools.cache
def _geonames_coordinates() -> dict[str, tuple[float, float]]:
    found: dict[str, list[Place]] = {}
    for place in _places():
        found.setdefault(place.postcode, []).append(place)
    return {
        postcode: (sum(p.lat for p in rows) / len(rows), sum(p.lon for p in rows) / len(rows))
        for postcode, rows in found.items()
    }


def coordinates(postcode: str) -> tuple[float, float] | None:
    """(lat, lon) of a postcode: the project's postcode table first, GeoNames' places for the rest."""
    return postcodes.lookup(postcode) or _geonames_coordinates().get(postcode)


def state_of(postcode: str) -> str | None:
    """The state code (e.g. ``NI``) of a postcode, None when unknown."""
    return _states().get(postcode)


def named(name: str) -> tuple[Place, ...]:
    """The places of exactly this name (case-insensitive), one per postcode."""
    return _by_name().get(name.strip().casefold(), ())


def suggest(prefix: str, limit: int = 10) -> list[Place]:
    """Places whose name starts with `prefix` (case-insensitive), one per name and state, by name."""
    wanted = prefix.strip().casefold()
    if not wanted:
        return []
    names = sorted(n for n in _by_name() if n.startswith(wanted))
    found: list[Place] = []
    for name in names:
        seen: set[str] = set()
        for place in _by_name()[name]:
            if place.state not in seen:
                seen.add(place.state)
                found.append(place)
        if len(found) >= limit:
            break
    return found[:limit]
