"""The public finder in memory: every listed centre of the `directory` read model in a grid of
cells (a quarter degree each), its public JSON serialised once (`public`), so a search costs no
database round trip and no JSON decoding.

Each replica keeps its own index current by following the `directory` table (`follow`): rows
changed since the newest change it saw (minus a margin, for transactions that commit late) every
`interval` seconds, and a comparison of every row's (revision, listed, functions) every
`check_every` seconds that heals whatever the margin missed.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import orjson
from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from centres.readmodels.finder import EARTH_KM, KM_PER_DEGREE, PUBLIC_COLUMNS, Filters
from centres.readmodels.tables import directory

log = logging.getLogger(__name__)

CELL_DEGREES = 0.25
COLUMNS = (*PUBLIC_COLUMNS, directory.c.listed, directory.c.open_minutes, directory.c.closed_on)


@dataclass(frozen=True, slots=True)
class Entry:
    centre_id: str
    name: str
    region: str | None
    lat: float
    lon: float
    radius_km: float | None
    service_postcodes: frozenset[str]
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    channels: tuple[str, ...]
    accessibility: tuple[str, ...]
    target_groups: tuple[str, ...]
    open_minutes: tuple[tuple[int, int], ...]
    closed_on: frozenset[date]
    revision: int
    functions: tuple[str, ...]
    public: bytes
    """The public centre as JSON without "open_now" and without the closing brace (the profile, id,
    functions, time of change): a request appends its own fields."""

    def is_open(self, minute: int, day: date) -> bool:
        return day not in self.closed_on and any(start <= minute < end for start, end in self.open_minutes)

    def passes(self, f: Filters) -> bool:
        return (
            all(t in self.topics for t in f.topics)
            and all(a in self.accessibility for a in f.accessibility)
            and (not f.languages or any(x in self.languages for x in f.languages))
            and (not f.channels or any(c in self.channels for c in f.channels))
            and (not f.target_groups or any(g in self.target_groups for g in f.target_groups))
            and (f.open_at is None or self.is_open(*f.open_at))
        )


def entry(row: Row) -> Entry:
    public = dict(row.profile) | {
        "centre_id": row.centre_id,
        "functions": list(row.functions),
        "updated_at": row.updated_at.isoformat(),
    }
    return Entry(
        centre_id=row.centre_id,
        name=row.name,
        region=row.region,
        lat=row.lat,
        lon=row.lon,
        radius_km=row.radius_km,
        service_postcodes=frozenset(row.service_postcodes),
        topics=tuple(row.topics),
        languages=tuple(row.languages),
        channels=tuple(row.channels),
        accessibility=tuple(row.accessibility),
        target_groups=tuple(row.target_groups),
        open_minutes=tuple((r.lower, r.upper) for r in row.open_minutes or ()),
        closed_on=frozenset(row.closed_on),
        revision=row.revision,
        functions=tuple(row.functions),
        public=orjson.dumps(public)[:-1],  # a copy of its own size: orjson's buffer keeps ~8 KB
    )


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    distance_km: float
    covers: bool


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    total: int
    covered: bool


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat / CELL_DEGREES)), int(math.floor(lon / CELL_DEGREES))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    h = (
        math.sin(math.radians(lat2 - lat1) / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(min(h, 1.0)))


class FinderIndex:
    def __init__(self) -> None:
        self.by_id: dict[str, Entry] = {}
        self.cells: dict[tuple[int, int], dict[str, Entry]] = {}
        self.by_postcode: dict[str, set[str]] = {}
        self.ready = False
        self._largest = 0.0

    def put(self, found: Entry) -> None:
        self.remove(found.centre_id)
        self.by_id[found.centre_id] = found
        self.cells.setdefault(_cell(found.lat, found.lon), {})[found.centre_id] = found
        for postcode in found.service_postcodes:
            self.by_postcode.setdefault(postcode, set()).add(found.centre_id)

    def remove(self, centre_id: str) -> None:
        old = self.by_id.pop(centre_id, None)
        if old is None:
            return
        cell = self.cells.get(_cell(old.lat, old.lon))
        if cell is not None:
            cell.pop(centre_id, None)
        for postcode in old.service_postcodes:
            self.by_postcode.get(postcode, set()).discard(centre_id)

    def near(self, lat: float, lon: float, km: float) -> Iterable[Entry]:
        """The entries in the cells that the box of `km` around the place touches."""
        dlat = km / KM_PER_DEGREE
        dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        (lat0, lon0), (lat1, lon1) = _cell(lat - dlat, lon - dlon), _cell(lat + dlat, lon + dlon)
        for i in range(lat0, lat1 + 1):
            for j in range(lon0, lon1 + 1):
                cell = self.cells.get((i, j))
                if cell:
                    yield from cell.values()

    def covered(self, lat: float, lon: float, postcode: str | None) -> bool:
        """Some listed centre's service area covers the place (its postcodes, or its radius)."""
        if postcode and self.by_postcode.get(postcode):
            return True
        return any(
            e.radius_km is not None and haversine_km(lat, lon, e.lat, e.lon) <= e.radius_km
            for e in self.near(lat, lon, self._largest)
        )

    def search(
        self,
        *,
        lat: float,
        lon: float,
        postcode: str | None,
        within_km: float,
        filters: Filters,
        offset: int,
        limit: int,
    ) -> Found:
        """The same answer as `finder.search`: listed centres within `within_km` passing the filters,
        nearest first (then by name and id), one page of them, their total and the coverage."""
        hits = []
        for e in self.near(lat, lon, within_km):
            if not e.passes(filters):
                continue
            distance = haversine_km(lat, lon, e.lat, e.lon)
            if distance <= within_km:
                covers = (postcode is not None and postcode in e.service_postcodes) or (
                    e.radius_km is not None and distance <= e.radius_km
                )
                hits.append(Hit(e, distance, covers))
        hits.sort(key=lambda h: (h.distance_km, h.entry.name, h.entry.centre_id))
        return Found(hits[offset : offset + limit], len(hits), self.covered(lat, lon, postcode))

    def apply(self, rows: Iterable[Row]) -> None:
        """Rows of the directory table: listed ones in (unless the index has them at that revision
        and functions already), the others out."""
        changed = False
        for row in rows:
            if row.listed and row.lat is not None and row.lon is not None and row.profile is not None:
                known = self.by_id.get(row.centre_id)
                if known is None or (known.revision, known.functions) != (row.revision, tuple(row.functions)):
                    self.put(entry(row))
                    changed = True
            elif row.centre_id in self.by_id:
                self.remove(row.centre_id)
                changed = True
        if changed:
            self._largest = max((e.radius_km or 0.0 for e in self.by_id.values()), default=0.0)


MARGIN = timedelta(seconds=30)


async def follow(engine: AsyncEngine, index: FinderIndex, *, interval: float = 0.2, check_every: float = 30.0) -> None:
    """Load the index, then keep it current (runs until cancelled; a failed round is logged and retried)."""
    newest: datetime | None = None
    loop = asyncio.get_running_loop()
    checked = loop.time()
    while True:
        try:
            async with engine.connect() as conn:
                if newest is None:
                    newest = await _load(conn, index)
                else:
                    rows = (await conn.execute(select(*COLUMNS).where(directory.c.updated_at > newest - MARGIN))).all()
                    if loop.time() - checked >= check_every:
                        await _check(conn, index)
                        checked = loop.time()
                    index.apply(rows)
                    newest = max(newest, *(r.updated_at for r in rows))
            index.ready = True
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database away for a moment: the next round tries again
            log.warning("finder index: %s", error)
        await asyncio.sleep(interval)


async def _load(conn: AsyncConnection, index: FinderIndex, batch: int = 500) -> datetime:
    """Every listed centre into the index, `batch` rows at a time (the decoded profiles of all rows
    at once cost far more memory than the index itself); the newest change time among them."""
    last, newest = "", datetime.now().astimezone() - MARGIN
    while True:
        rows = (
            await conn.execute(
                select(*COLUMNS)
                .where(directory.c.listed, directory.c.centre_id > last)
                .order_by(directory.c.centre_id)
                .limit(batch)
            )
        ).all()
        if not rows:
            return newest
        index.apply(rows)
        newest = max(newest, *(r.updated_at for r in rows))
        last = rows[-1].centre_id


async def _check(conn: AsyncConnection, index: FinderIndex) -> None:
    """Rows whose (revision, functions) differ from the index's, or that joined or left the listed
    ones, are read again."""
    rows = await conn.execute(
        select(directory.c.centre_id, directory.c.revision, directory.c.functions).where(directory.c.listed)
    )
    listed = {r.centre_id: (r.revision, tuple(r.functions)) for r in rows}
    stale = [c for c in index.by_id if c not in listed]
    for centre_id, known in listed.items():
        found = index.by_id.get(centre_id)
        if found is None or (found.revision, found.functions) != known:
            stale.append(centre_id)
    for start in range(0, len(stale), 1000):
        chunk = stale[start : start + 1000]
        index.apply((await conn.execute(select(*COLUMNS).where(directory.c.centre_id.in_(chunk)))).all())
