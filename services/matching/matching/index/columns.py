"""Columnar storage for the in-memory index: numpy columns, one row per id, rows reused."""

from __future__ import annotations

import numpy as np

from matching.domain.time import WEEK_SLOTS
from teilhabe_events.activities import Activity, Trait
from teilhabe_kit.geo import EARTH_RADIUS_KM

WORDS = -(-WEEK_SLOTS // 64)
_WORD = (1 << 64) - 1
ACTIVITY_BIT = {a.value: 1 << i for i, a in enumerate(Activity)}
TRAIT_BIT = {t.value: 1 << i for i, t in enumerate(Trait)}


def bits(values, table: dict[str, int]) -> int:
    out = 0
    for value in values:
        out |= table[value]
    return out


def words(mask: int) -> np.ndarray:
    """A week slot mask (Python int) as WORDS uint64 words."""
    return np.array([(mask >> (64 * i)) & _WORD for i in range(WORDS)], dtype=np.uint64)


def covers(columns: np.ndarray, rows: np.ndarray, required: np.ndarray) -> np.ndarray:
    """For each row: does its slot mask contain every slot of `required`?"""
    ok = np.ones(len(rows), dtype=bool)
    for w in np.flatnonzero(required):
        r = required[w]
        ok &= (columns[rows, w] & r) == r
    return ok


def distances_km(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Haversine distances (km) from one point, vectorised like `rules.haversine_km`."""
    p1, p2 = np.radians(lat), np.radians(lat0)
    dp, dl = p2 - p1, np.radians(lon0 - lon)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def near_box(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float, km: float) -> np.ndarray:
    """Rows inside the bounding box of a circle (a cheap superset of the circle)."""
    dlat = km / 110.0 + 1e-6
    dlon = km / (111.0 * max(0.05, float(np.cos(np.radians(min(89.0, abs(lat0) + dlat)))))) + 1e-6
    return (np.abs(lat - lat0) <= dlat) & (np.abs(lon - lon0) <= dlon)


class Rows:
    """Ids to rows of growing numpy columns; a removed id's row is cleared and reused."""

    def __init__(self, columns: dict[str, tuple[type, tuple[int, ...]]], capacity: int = 1024) -> None:
        self._spec = columns
        self.capacity = capacity
        self.size = 0
        self.ids: list[str | None] = []
        self.row: dict[str, int] = {}
        self._free: list[int] = []
        self.col: dict[str, np.ndarray] = {
            name: np.zeros((capacity, *shape), dtype=dtype) for name, (dtype, shape) in columns.items()
        }

    def __len__(self) -> int:
        return len(self.row)

    def slot(self, key: str) -> int:
        """The row of `key`, allocated when new."""
        row = self.row.get(key)
        if row is not None:
            return row
        if self._free:
            row = self._free.pop()
            self.ids[row] = key
        else:
            if self.size == self.capacity:
                self._grow()
            row = self.size
            self.size += 1
            self.ids.append(key)
        self.row[key] = row
        return row

    def drop(self, key: str) -> int | None:
        row = self.row.pop(key, None)
        if row is not None:
            for column in self.col.values():
                column[row] = 0
            self.ids[row] = None
            self._free.append(row)
        return row

    def _grow(self) -> None:
        self.capacity *= 2
        for name, column in self.col.items():
            grown = np.zeros((self.capacity, *column.shape[1:]), dtype=column.dtype)
            grown[: self.size] = column[: self.size]
            self.col[name] = grown
