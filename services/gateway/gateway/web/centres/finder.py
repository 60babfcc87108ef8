"""The public counseling-centre finder (no login): search by postcode or place, distance, topic,
language, channel, accessibility and "open now"; results with their reasons as a list and on a map
(the same centres); the region's fallback centre when nobody covers the place; a page per centre."""

from __future__ import annotations

import json
import math
from html import escape
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call
from gateway.web.centres import centre_page, ct
from gateway.web.centres.catalogue import labels
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import lang_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
CENTRES = "/api/v1/centres"
DISTANCES = (5, 10, 25, 50, 100)
PAGE_SIZE = 20
FIELDS = {"postcode": "where", "place": "where", "distance_km": "km", "topic": "topic", "language": "language"}


def _query(request: Request) -> dict:
    """The search as the form sent it (GET parameters), cleaned to known values."""
    params = request.query_params
    km = params.get("km", "25")
    return {
        "where": params.get("where", "").strip()[:100],
        "km": int(km) if km.isdigit() and int(km) in DISTANCES else 25,
        "topic": params.get("topic", ""),
        "language": params.get("language", ""),
        "channel": params.get("channel", ""),
        "access": params.getlist("access"),
        "open_now": params.get("open_now") == "1",
        "page": int(params["page"]) if params.get("page", "").isdigit() and 0 < int(params["page"]) < 1000 else 1,
    }


def _api_params(query: dict) -> dict:
    where = query["where"]
    params: dict = {"distance_km": query["km"], "page": query["page"], "page_size": PAGE_SIZE}
    params |= {"postcode": where} if where.isdigit() else {"place": where}
    for name in ("topic", "language", "channel"):
        if query[name]:
            params[name] = query[name]
    if query["access"]:
        params["accessibility"] = query["access"]
    if query["open_now"]:
        params["open_now"] = "true"
    return params


def _map_json(request: Request, hits: list[dict]) -> str:
    settings = request.app.state.settings
    markers = [
        {
            "id": h["centre_id"],
            "lat": h["location"]["lat"],
            "lon": h["location"]["lon"],
            "label": h["name"],
            "href": f"#centre-{h['centre_id']}",
            "colour": "#0b4f8a",
        }
        for h in hits
    ]
    data = {"markers": markers, "tileUrl": settings.tile_url, "attribution": settings.tile_attribution, "labels": {}}
    return json.dumps(data).replace("</", "<\\/")


@router.get("/beratung", response_class=HTMLResponse)
async def finder(request: Request) -> Response:
    query = _query(request)
    result, errors = None, {}
    if query["where"]:
        response = await call(
            request, "centres", "GET", f"{CENTRES}/finder", params=_api_params(query), anonymous=True, expect={200, 422}
        )
        if response.status_code == 200:
            result = response.json()
        else:
            errors = field_errors(response, FIELDS | {"form": "where"})
    hits = (result or {}).get("items", [])
    shown = hits + ([result["fallback"]] if result and result.get("fallback") else [])
    return centre_page(
        request,
        "centres/finder.html",
        status_code=422 if errors else 200,
        title=ct(request, "finder_title"),
        query=query,
        result=result,
        errors=errors,
        distances=DISTANCES,
        labels=labels(lang_of(request)),
        pages=math.ceil(result["total"] / PAGE_SIZE) if result else 0,
        map_json=_map_json(request, shown),
        page_query=_page_query(query),
    )


def _page_query(query: dict) -> str:
    """The search as a query string without the page (for the paging links)."""
    pairs = [("where", query["where"]), ("km", query["km"])]
    pairs += [(name, query[name]) for name in ("topic", "language", "channel") if query[name]]
    pairs += [("access", code) for code in query["access"]] + ([("open_now", "1")] if query["open_now"] else [])
    return urlencode(pairs)


@router.get("/beratung/orte", response_class=HTMLResponse)
async def place_suggestions(request: Request, where: str = "") -> Response:
    """`<option>`s of place names starting with what was typed (the finder's datalist, via htmx)."""
    where = where.strip()[:100]
    found: list[dict[str, str]] = []
    if len(where) >= 2 and not where.isdigit():
        response = await call(
            request,
            "centres",
            "GET",
            f"{CENTRES}/places",
            params={"q": where, "limit": 8},
            anonymous=True,
            expect={200, 422},
        )
        found = response.json() if response.status_code == 200 else []
    return HTMLResponse(
        "".join(
            f'<option value="{escape(p["name"])}">{escape(p["postcode"])} {escape(p["name"])}</option>' for p in found
        )
    )


@router.get("/beratung/{centre_id}", response_class=HTMLResponse)
async def detail(request: Request, centre_id: str) -> Response:
    centre = (await call(request, "centres", "GET", f"{CENTRES}/directory/{centre_id}", anonymous=True)).json()
    return centre_page(
        request, "centres/detail.html", title=centre["name"], centre=centre, labels=labels(lang_of(request))
    )
