"""The public part of the centres API (no login): catalogue, places, finder, detail, export."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from sqlalchemy.ext.asyncio import AsyncEngine

from centres import places
from centres.api.models import FinderPage, PlaceOut, PublicCentre
from centres.api.public_views import CSV_COLUMNS, csv_line, finder_hit, hit_json, public_centre
from centres.domain.hours import minute_of_week
from centres.readmodels import finder
from centres.readmodels.finder_index import FinderIndex
from teilhabe_events.centre_catalogue import AccessibilityFact, Channel, Language, TargetGroup, Topic, catalogue
from teilhabe_kit.api import engine
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import NotFound, Unprocessable

router = APIRouter(prefix="/api/v1/centres", tags=["public finder"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such listed centre"},
    422: {"description": "bad input; `errors[].field` names the field"},
}
AMBIGUOUS_KM = 30.0


@router.get("/catalogue", summary="Topics, target groups, languages, channels, accessibility facts (de/en)")
async def get_catalogue() -> dict:
    return catalogue()


@router.get("/places", response_model=list[PlaceOut], summary="Place names starting with `q` (for the finder)")
async def get_places(
    q: Annotated[str, Query(min_length=2, max_length=100)], limit: Annotated[int, Query(ge=1, le=50)] = 10
):
    return [
        {"postcode": p.postcode, "name": p.name, "region": p.state, "region_name": places.STATES[p.state]}
        for p in places.suggest(q, limit)
    ]


def _haversine(a: places.Place, b: places.Place) -> float:
    dlat, dlon = math.radians(b.lat - a.lat), math.radians(b.lon - a.lon)
    h = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(a.lat)) * math.cos(math.radians(b.lat)) * math.sin(dlon / 2) ** 2
    )
    return 2 * finder.EARTH_KM * math.asin(math.sqrt(min(h, 1.0)))


def resolve_place(postcode: str | None, place: str | None) -> dict:
    """The searched place: a postcode's centre, or a named place's (422 naming the field if unknown)."""
    if postcode:
        found = places.coordinates(postcode)
        if found is None:
            raise Unprocessable("Diese Postleitzahl kennen wir nicht.", field="postcode")
        return {
            "postcode": postcode,
            "name": None,
            "region": places.state_of(postcode),
            "lat": found[0],
            "lon": found[1],
        }
    if not place or not place.strip():
        raise Unprocessable("Bitte geben Sie eine Postleitzahl oder einen Ort an.", field="postcode")
    matches = places.named(place)
    if not matches:
        raise Unprocessable("Diesen Ort kennen wir nicht. Versuchen Sie es mit der Postleitzahl.", field="place")
    if max(_haversine(matches[0], other) for other in matches) > AMBIGUOUS_KM:
        raise Unprocessable("Mehrere Orte heißen so. Bitte suchen Sie mit der Postleitzahl.", field="place")
    region = Counter(p.state for p in matches).most_common(1)[0][0]
    return {
        "postcode": min(p.postcode for p in matches),
        "name": matches[0].name,
        "region": region,
        "lat": sum(p.lat for p in matches) / len(matches),
        "lon": sum(p.lon for p in matches) / len(matches),
    }


@router.get("/finder", response_model=FinderPage, responses=PROBLEMS, summary="Find listed centres near a place")
async def find(
    request: Request,
    postcode: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    place: Annotated[str | None, Query(max_length=100, description="a place name instead of a postcode")] = None,
    distance_km: Annotated[float, Query(gt=0, le=200)] = 25,
    topic: Annotated[list[Topic] | None, Query(max_length=len(Topic))] = None,
    language: Annotated[list[Language] | None, Query(max_length=len(Language))] = None,
    channel: Annotated[list[Channel] | None, Query(max_length=len(Channel))] = None,
    accessibility: Annotated[list[AccessibilityFact] | None, Query(max_length=len(AccessibilityFact))] = None,
    target_group: Annotated[list[TargetGroup] | None, Query(max_length=len(TargetGroup))] = None,
    open_now: bool = False,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    searched = resolve_place(postcode, place)
    now = datetime.now(UTC)
    filters = finder.Filters(
        topics=[t.value for t in topic or []],
        languages=[x.value for x in language or []],
        channels=[c.value for c in channel or []],
        accessibility=[a.value for a in accessibility or []],
        target_groups=[g.value for g in target_group or []],
        open_at=(minute_of_week(now), local_date(now)) if open_now else None,
    )
    lat, lon = searched["lat"], searched["lon"]
    index = _index(request)
    if index is not None:
        return await _found_in_memory(request, index, searched, distance_km, filters, now, page, page_size)
    async with engine(request).connect() as conn:
        found = await finder.search(
            conn,
            lat=lat,
            lon=lon,
            postcode=searched["postcode"],
            within_km=distance_km,
            filters=filters,
            offset=(page - 1) * page_size,
            limit=page_size,
        )
        white_spot = not found.covered
        fallback = None
        if white_spot and searched["region"]:
            row = await finder.fallback(conn, searched["region"], lat, lon)
            fallback = finder_hit(row, filters, now, fallback=True) if row else None
    answer = {
        "place": searched,
        "items": [finder_hit(r, filters, now) for r in found.rows],
        "total": found.total,
        "page": page,
        "page_size": page_size,
        "white_spot": white_spot,
        "fallback": fallback,
    }
    return JSONResponse(answer)  # already in FinderPage's shape (the stored profiles are its JSON)


def _index(request: Request) -> FinderIndex | None:
    """The replica's in-memory finder index once it is loaded (None before: the SQL path answers)."""
    index: FinderIndex | None = getattr(request.app.state, "finder_index", None)
    return index if index is not None and index.ready else None


async def _found_in_memory(
    request: Request,
    index: FinderIndex,
    searched: dict,
    within_km: float,
    filters: finder.Filters,
    now: datetime,
    page: int,
    size: int,
) -> Response:
    """The finder's answer from the in-memory index: each hit's public JSON serialised once, only
    "open now", distance and reasons added per request. A white spot's fallback centre is asked of
    the database (the region's choice is the back office's, effective at once)."""
    lat, lon = searched["lat"], searched["lon"]
    found = index.search(
        lat=lat,
        lon=lon,
        postcode=searched["postcode"],
        within_km=within_km,
        filters=filters,
        offset=(page - 1) * size,
        limit=size,
    )
    moment = (minute_of_week(now), local_date(now))
    fallback = None
    if not found.covered and searched["region"]:
        async with engine(request).connect() as conn:
            row = await finder.fallback(conn, searched["region"], lat, lon)
        fallback = finder_hit(row, filters, now, fallback=True) if row else None
    answer = {
        "place": searched,
        "items": [hit_json(hit, filters, moment) for hit in found.hits],
        "total": found.total,
        "page": page,
        "page_size": size,
        "white_spot": not found.covered,
        "fallback": fallback,
    }
    return Response(orjson.dumps(answer), media_type="application/json")


@router.get(
    "/directory/{centre_id}", response_model=PublicCentre, responses=PROBLEMS, summary="One listed centre (public)"
)
async def public_detail(request: Request, centre_id: str):
    index = _index(request)
    if index is not None:  # the finder's own view of the centre: listed in the one, found in the other
        listed = index.by_id.get(centre_id)
        if listed is None:
            raise NotFound("Diese Beratungsstelle gibt es nicht (oder sie ist nicht im Finder).")
        now = datetime.now(UTC)
        opened = orjson.dumps({"open_now": listed.is_open(minute_of_week(now), local_date(now))})
        return Response(listed.public + b"," + opened[1:], media_type="application/json")
    async with engine(request).connect() as conn:
        row = await finder.listed(conn, centre_id)
    if row is None:
        raise NotFound("Diese Beratungsstelle gibt es nicht (oder sie ist nicht im Finder).")
    return public_centre(row, datetime.now(UTC))


async def _export_json(engine: AsyncEngine) -> AsyncIterator[bytes]:
    now = datetime.now(UTC)
    yield b'{"exported_at": ' + json.dumps(now.isoformat()).encode() + b', "centres": ['
    first = True
    async with engine.connect() as conn:
        async for row in finder.all_listed(conn):
            item = PublicCentre.model_validate(public_centre(row, now)).model_dump_json()
            yield (b"" if first else b",") + item.encode()
            first = False
    yield b"]}"


async def _export_csv(engine: AsyncEngine) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    async with engine.connect() as conn:
        async for row in finder.all_listed(conn):
            writer.writerow(csv_line(row))
            if buffer.tell() > 64_000:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode()


@router.get(
    "/directory.json",
    summary="Export: every listed centre as JSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
async def export_json(request: Request) -> StreamingResponse:
    return StreamingResponse(
        _export_json(engine(request)),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="beratungsstellen.json"'},
    )


@router.get(
    "/directory.csv",
    summary="Export: every listed centre as CSV (UTF-8, comma, lists separated by |)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_csv(request: Request) -> StreamingResponse:
    return StreamingResponse(
        _export_csv(engine(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="beratungsstellen.csv"'},
    )
