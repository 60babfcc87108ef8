"""Queries of the public finder over the `directory` read model.

Distance is the haversine (km) in SQL behind a bounding box on the (lat, lon) index of listed
centres; list filters are array operators: every chosen topic and accessibility fact must be
offered, any chosen language, channel or target group suffices. "Open now" asks the weekly
opening hours (a multirange of minutes of the week) and the closing days.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Float, Row, TextClause, cast, func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from centres.readmodels.tables import directory, region_fallbacks

EARTH_KM = 6371.0
KM_PER_DEGREE = 111.2

PUBLIC_COLUMNS = (
    directory.c.centre_id,
    directory.c.name,
    directory.c.postcode,
    directory.c.region,
    directory.c.lat,
    directory.c.lon,
    directory.c.radius_km,
    directory.c.service_postcodes,
    directory.c.topics,
    directory.c.languages,
    directory.c.channels,
    directory.c.accessibility,
    directory.c.target_groups,
    directory.c.functions,
    directory.c.revision,
    directory.c.profile,
    directory.c.updated_at,
)


@dataclass(frozen=True)
class Filters:
    topics: Sequence[str] = ()
    languages: Sequence[str] = ()
    channels: Sequence[str] = ()
    accessibility: Sequence[str] = ()
    target_groups: Sequence[str] = ()
    open_at: tuple[int, date] | None = field(default=None)
    """(minute of the week, Berlin date) when only centres open then are wanted."""


# The haversine of each row's (lat, lon) to the searched place (:lat, :lon; :cos_lat = cos of :lat).
DISTANCE = (
    "2 * 6371.0 * asin(sqrt(least(power(sin(radians(d.lat - :lat) / 2), 2)"
    " + :cos_lat * cos(radians(d.lat)) * power(sin(radians(d.lon - :lon) / 2), 2), 1)))"
)
COVERS = f"(d.service_postcodes @> ARRAY[CAST(:postcode AS varchar)] OR (d.radius_km IS NOT NULL AND {DISTANCE} <= d.radius_km))"
COLUMNS = ", ".join(f"d.{c.name}" for c in PUBLIC_COLUMNS)
FILTERS = {
    "topics": "d.topics @> CAST(:topics AS varchar[])",
    "accessibility": "d.accessibility @> CAST(:accessibility AS varchar[])",
    "languages": "d.languages && CAST(:languages AS varchar[])",
    "channels": "d.channels && CAST(:channels AS varchar[])",
    "target_groups": "d.target_groups && CAST(:target_groups AS varchar[])",
    "open_at": "d.open_minutes @> CAST(:minute AS integer) AND NOT (CAST(:day AS date) = ANY (d.closed_on))",
}


@functools.cache
def _statement(active: frozenset[str]) -> TextClause:
    """The finder's one statement for a set of active filters (built once per set: the SQL is fixed,
    only the parameters change, so neither SQLAlchemy nor PostgreSQL plans it from scratch).

    The hits (bounding box on the partial (lat, lon) index, then the exact distance) are joined
    laterally to whether any listed centre covers the place at all, so an empty page still says
    whether the place is a white spot; that box spans the largest radius of any listed centre
    (found on the partial radius index)."""
    conditions = "".join(f" AND {FILTERS[name]}" for name in sorted(active))
    return text(
        f"""
        WITH largest AS (SELECT coalesce(max(radius_km), 0) AS km FROM directory WHERE listed),
        place AS (
            SELECT EXISTS (
                SELECT 1 FROM directory d, largest
                WHERE d.listed AND (
                    d.service_postcodes @> ARRAY[CAST(:postcode AS varchar)]
                    OR (d.lat BETWEEN :lat - largest.km / {KM_PER_DEGREE} AND :lat + largest.km / {KM_PER_DEGREE}
                        AND d.lon BETWEEN :lon - largest.km / :km_per_lon AND :lon + largest.km / :km_per_lon
                        AND d.radius_km IS NOT NULL AND {DISTANCE} <= d.radius_km)
                )
            ) AS place_covered
        )
        SELECT place.place_covered, hits.* FROM place LEFT JOIN LATERAL (
            SELECT near.*, count(*) OVER () AS total FROM (
                SELECT {COLUMNS}, {DISTANCE} AS distance_km, {COVERS} AS covers
                FROM directory d
                WHERE d.listed AND d.lat BETWEEN :lat_min AND :lat_max AND d.lon BETWEEN :lon_min AND :lon_max
                {conditions}
            ) near
            WHERE near.distance_km <= :within_km
            ORDER BY near.distance_km, near.name, near.centre_id
            OFFSET :offset LIMIT :limit
        ) hits ON true
        ORDER BY hits.distance_km, hits.name, hits.centre_id
        """
    )


@dataclass(frozen=True)
class Found:
    rows: list[Row]
    total: int
    covered: bool
    """some listed centre's service area covers the place (else it is a white spot)"""


async def search(
    conn: AsyncConnection,
    *,
    lat: float,
    lon: float,
    postcode: str | None,
    within_km: float,
    filters: Filters,
    offset: int,
    limit: int,
) -> Found:
    """Listed centres within `within_km` of the place that pass the filters, nearest first, their
    total and whether the place is covered — one round trip."""
    km_per_lon = KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01)
    values: dict[str, object] = {
        "lat": lat,
        "lon": lon,
        "cos_lat": math.cos(math.radians(lat)),
        "km_per_lon": km_per_lon,
        "postcode": postcode,
        "lat_min": lat - within_km / KM_PER_DEGREE,
        "lat_max": lat + within_km / KM_PER_DEGREE,
        "lon_min": lon - within_km / km_per_lon,
        "lon_max": lon + within_km / km_per_lon,
        "within_km": within_km,
        "offset": offset,
        "limit": limit,
    }
    active = {name for name in FILTERS if name != "open_at" and getattr(filters, name)}
    for name in active:
        values[name] = list(getattr(filters, name))
    if filters.open_at is not None:
        active.add("open_at")
        values["minute"], values["day"] = filters.open_at
    statement = _statement(frozenset(active))
    rows = (await conn.execute(statement, values)).all()
    covered = bool(rows[0].place_covered)
    found = [r for r in rows if r.centre_id is not None]
    if found:
        return Found(found, int(found[0].total), covered)
    total = 0
    if offset > 0:  # past the last page: the total from the first
        first = (await conn.execute(statement, values | {"offset": 0, "limit": 1})).first()
        total = int(first.total) if first is not None and first.total is not None else 0
    return Found([], total, covered)


def distance_km(lat: float, lon: float) -> ColumnElement:
    """The haversine as an expression (for the one-off queries beside the finder's statement)."""
    dlat = func.radians(directory.c.lat - lat)
    dlon = func.radians(directory.c.lon - lon)
    a = func.power(func.sin(dlat / 2), 2) + math.cos(math.radians(lat)) * func.cos(
        func.radians(directory.c.lat)
    ) * func.power(func.sin(dlon / 2), 2)
    return cast(2 * EARTH_KM * func.asin(func.sqrt(func.least(a, 1.0))), Float)


async def fallback(conn: AsyncConnection, region: str, lat: float, lon: float) -> Row | None:
    """The listed fallback centre configured for the region, with its distance."""
    return (
        await conn.execute(
            select(*PUBLIC_COLUMNS, distance_km(lat, lon).label("distance_km"))
            .join(region_fallbacks, region_fallbacks.c.centre_id == directory.c.centre_id)
            .where(region_fallbacks.c.region == region, directory.c.listed)
        )
    ).first()


async def listed(conn: AsyncConnection, centre_id: str) -> Row | None:
    return (
        await conn.execute(select(*PUBLIC_COLUMNS).where(directory.c.centre_id == centre_id, directory.c.listed))
    ).first()


async def all_listed(conn: AsyncConnection, *, batch: int = 1000):
    """Every listed centre by name (the export), streamed in batches."""
    last: tuple[str, str] = ("", "")
    while True:
        rows = (
            await conn.execute(
                select(*PUBLIC_COLUMNS)
                .where(directory.c.listed, tuple_(directory.c.name, directory.c.centre_id) > tuple_(*last))
                .order_by(directory.c.name, directory.c.centre_id)
                .limit(batch)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        last = (rows[-1].name, rows[-1].centre_id)
