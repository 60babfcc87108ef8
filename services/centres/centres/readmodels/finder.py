"""Queries of the public finder over the `directory` read model.

Distance is the haversine (km) in SQL behind a bounding box on the (lat, lon) index of listed
centres; list filters are array operators: every chosen topic and accessibility fact must be
offered, any chosen language, channel or target group suffices. "Open now" asks the weekly
opening hours (a multirange of minutes of the week) and the closing days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Date, Float, Row, and_, cast, func, literal, not_, or_, select, true, tuple_
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


def distance_km(lat: float, lon: float) -> ColumnElement:
    dlat = func.radians(directory.c.lat - lat)
    dlon = func.radians(directory.c.lon - lon)
    a = func.power(func.sin(dlat / 2), 2) + math.cos(math.radians(lat)) * func.cos(
        func.radians(directory.c.lat)
    ) * func.power(func.sin(dlon / 2), 2)
    return cast(2 * EARTH_KM * func.asin(func.sqrt(func.least(a, 1.0))), Float)


def _box(lat: float, lon: float, km: float | ColumnElement) -> ColumnElement:
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return and_(directory.c.lat.between(lat - dlat, lat + dlat), directory.c.lon.between(lon - dlon, lon + dlon))


def _conditions(filters: Filters) -> list[ColumnElement]:
    found: list[ColumnElement] = [directory.c.listed]
    if filters.topics:
        found.append(directory.c.topics.contains(list(filters.topics)))
    if filters.accessibility:
        found.append(directory.c.accessibility.contains(list(filters.accessibility)))
    if filters.languages:
        found.append(directory.c.languages.overlap(list(filters.languages)))
    if filters.channels:
        found.append(directory.c.channels.overlap(list(filters.channels)))
    if filters.target_groups:
        found.append(directory.c.target_groups.overlap(list(filters.target_groups)))
    if filters.open_at is not None:
        minute, day = filters.open_at
        found.append(directory.c.open_minutes.contains(literal(minute)))
        found.append(not_(literal(day, Date) == directory.c.closed_on.any_()))
    return found


def covers(lat: float, lon: float, postcode: str | None) -> ColumnElement:
    """The centre's service area covers the place (its postcode listed, or within its radius)."""
    by_radius = and_(directory.c.radius_km.is_not(None), distance_km(lat, lon) <= directory.c.radius_km)
    if postcode is None:
        return by_radius
    return or_(directory.c.service_postcodes.contains([postcode]), by_radius)


@dataclass(frozen=True)
class Found:
    rows: list[Row]
    total: int
    covered: bool
    """some listed centre's service area covers the place (else it is a white spot)"""


def _covered(lat: float, lon: float, postcode: str | None) -> ColumnElement:
    """EXISTS a listed centre whose area covers the place: its postcodes, or its radius (the box
    spans the largest radius of any listed centre, found on the partial radius index)."""
    largest = func.coalesce(select(func.max(directory.c.radius_km)).where(directory.c.listed).scalar_subquery(), 0.0)
    by_radius = and_(_box(lat, lon, largest), covers(lat, lon, None))
    by_postcode = directory.c.service_postcodes.contains([postcode]) if postcode else literal(False)
    return select(directory.c.centre_id).where(directory.c.listed, or_(by_postcode, by_radius)).exists()


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
    total and whether the place is covered — one statement (the hits joined laterally to the
    coverage, so an empty page still answers it)."""
    distance = distance_km(lat, lon).label("distance_km")
    inner = (
        select(*PUBLIC_COLUMNS, distance, covers(lat, lon, postcode).label("covers"))
        .where(_box(lat, lon, within_km), *_conditions(filters))
        .subquery()
    )
    hits = (
        select(inner, func.count().over().label("total"))
        .where(inner.c.distance_km <= within_km)
        .order_by(inner.c.distance_km, inner.c.name, inner.c.centre_id)
        .offset(offset)
        .limit(limit)
        .lateral("hits")
    )
    place = select(_covered(lat, lon, postcode).label("place_covered")).subquery("place")
    rows = (
        await conn.execute(
            select(place.c.place_covered, hits)
            .select_from(place.outerjoin(hits, true()))
            .order_by(hits.c.distance_km, hits.c.name, hits.c.centre_id)
        )
    ).all()
    covered = bool(rows[0].place_covered)
    found = [r for r in rows if r.centre_id is not None]
    if found:
        return Found(found, int(found[0].total), covered)
    total = 0
    if offset > 0:
        total = int(
            await conn.scalar(select(func.count()).select_from(inner).where(inner.c.distance_km <= within_km)) or 0
        )
    return Found([], total, covered)


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
