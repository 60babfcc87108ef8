"""Pages of assistants: requests ("Ihre aktuellen Verfügbarkeitsanfragen"), free orders nearby
(map and an equivalent list), assignments, availability and activities."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.contract_titles import CONTRACTS, titled, titled_offers
from gateway.web.forms import bad_ranges, csrf_protect, field_errors, shown_ranges, weekly_ranges
from gateway.web.render import page, require_user, see_other, session_of, t
from teilhabe_events.activities import Activity, Trait

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

DISTANCES = (5, 10, 25, 50, 100)
ASSIGNMENT_VIEWS = ("offered", "planned", "active", "finished")
OPEN_OFFERS = ["submitted", "requested", "proposed"]
OFFERS = "/api/v1/orders/orders/{order_id}/offers"
ACCOUNT = "/api/v1/identity/accounts/{account_id}"


def _matching(account_id: str, what: str) -> str:
    return f"/api/v1/matching/assistants/{account_id}/{what}"


async def _free_orders(request: Request, account_id: str, distance: int | None, kind: str | None):
    params = {k: v for k, v in {"distance_km": distance, "kind": kind}.items() if v}
    response = await call(
        request, "matching", "GET", _matching(account_id, "free-orders"), params=params, expect={200, 404, 409}
    )
    if response.status_code != 200:
        return {"items": [], "total": 0}, response.json().get("detail")
    return response.json(), None


@router.get("/assistenz", response_class=HTMLResponse)
async def dashboard(request: Request, distance: int | None = None, kind: str = "") -> Response:
    session = require_user(request, "assistant")
    me = session.get("account_id")
    kind = kind if kind in ("one_time", "recurring") else ""
    distance = distance if distance in DISTANCES else None
    requests_ = await get_json(request, "matching", _matching(me, "requests"))
    free, free_problem = await _free_orders(request, me, distance, kind or None)
    settings = request.app.state.settings
    markers = [
        {
            "id": f["order"]["order_id"],
            "lat": f["order"]["place"]["lat"],
            "lon": f["order"]["place"]["lon"],
            "kind": f["order"]["kind"],
            "distance": f["distance_km"],
        }
        for f in free["items"]
    ]
    map_data = {
        "markers": markers,
        "tileUrl": settings.tile_url,
        "attribution": settings.tile_attribution,
        "decimal": "," if session.get("lang", "de") == "de" else ".",
        "labels": {
            "one_time": t(request, "one_time"),
            "recurring": t(request, "recurring"),
            "km": t(request, "km_away", km="{km}"),
            "show": t(request, "take_up"),
        },
    }
    return page(
        request,
        "assistant/dashboard.html",
        title=t(request, "dashboard"),
        open_requests=[r for r in requests_["items"] if not r["answered"]],
        answered_requests=[r for r in requests_["items"] if r["answered"]],
        free=free["items"],
        free_problem=free_problem,
        distances=DISTANCES,
        distance=distance,
        kind=kind,
        map_json=json.dumps(map_data).replace("</", "<\\/"),
        no_availability=not (await _profile(request)).get("ranges"),
    )


@router.post("/assistenz/auftraege/{order_id}/annehmen")
async def offer(request: Request, order_id: str) -> Response:
    """Accept a request or take up a free order: the seeker learns of the interest."""
    require_user(request, "assistant")
    form = await request.form()
    from_request = form.get("from_request") == "1"
    response = await call(
        request, "orders", "POST", OFFERS.format(order_id=order_id), json={"from_request": from_request}
    )
    session = session_of(request)
    if response.status_code in (200, 201):
        session.set("notice", "offer_sent")
    else:
        session.set("notice", "offer_failed")
    return see_other("/assistenz")


@router.get("/assistenz/einsaetze", response_class=HTMLResponse)
async def assignments(request: Request, view: str = "offered") -> Response:
    """Offered (open offers), planned (awarded, contract on its way), active and finished."""
    require_user(request, "assistant")
    view = view if view in ASSIGNMENT_VIEWS else "offered"
    offers, contracts = [], []
    if view == "offered":
        found = await get_json(request, "orders", "/api/v1/orders/offers/mine", params={"status": OPEN_OFFERS})
        offers = await titled_offers(request, found["items"])
    else:
        contracts = await titled(request, await get_json(request, "contracts", CONTRACTS, params={"view": view}))
    return page(
        request,
        "assistant/assignments.html",
        title=t(request, "assignments"),
        views=ASSIGNMENT_VIEWS,
        view=view,
        contracts=contracts,
        offers=offers,
    )


async def _profile(request: Request) -> dict[str, Any]:
    return await get_json(request, "identity", "/api/v1/identity/me")


@router.get("/assistenz/profil", response_class=HTMLResponse)
async def profile(request: Request) -> Response:
    require_user(request, "assistant")
    account = await _profile(request)
    return page(
        request,
        "assistant/profile.html",
        title=t(request, "my_profile"),
        values={"activities": account.get("activities", []), "traits": account.get("traits", [])},
        ranges=shown_ranges(account.get("ranges", [])),
    )


@router.post("/assistenz/profil", response_class=HTMLResponse)
async def profile_save(request: Request) -> Response:
    session = require_user(request, "assistant")
    form = await request.form()
    activities = [a for a in form.getlist("activities") if a in Activity._value2member_map_]
    traits = [x for x in form.getlist("traits") if x in Trait._value2member_map_]
    ranges, shown = weekly_ranges(form, "availability")
    base = ACCOUNT.format(account_id=session.get("account_id"))
    errors: dict[str, str] = {}
    if bad_ranges(ranges):
        errors["availability"] = t(request, "times_missing")
    if not activities:
        errors["activities"] = t(request, "activities")
    if errors:
        return page(
            request,
            "assistant/profile.html",
            status_code=422,
            title=t(request, "my_profile"),
            values={"activities": activities, "traits": traits},
            ranges=shown,
            errors=errors,
        )
    for path, body, name in (
        (f"{base}/activities", {"activities": activities}, "activities"),
        (f"{base}/ranges", {"ranges": ranges}, "availability"),
        (f"{base}/traits", {"traits": traits}, "traits"),
    ):
        response = await call(request, "identity", "PUT", path, json=body)
        if response.status_code >= 400:
            if messages := list(field_errors(response).values()):
                errors[name] = messages[-1]
    values = {"activities": activities, "traits": traits}
    if errors:
        return page(
            request,
            "assistant/profile.html",
            status_code=422,
            title=t(request, "my_profile"),
            values=values,
            ranges=shown,
            errors=errors,
        )
    return page(
        request,
        "assistant/profile.html",
        title=t(request, "my_profile"),
        values=values,
        ranges=shown_ranges(ranges),
        notice=t(request, "saved"),
    )


@router.get("/assistenz/anfragen/{request_id}")
async def request_link(request: Request, request_id: str) -> Response:
    """Target of a request notification: the dashboard's list of current requests."""
    return see_other("/assistenz#requests-title")


@router.get("/assistenz/auftraege/{order_id}")
async def order_link(request: Request, order_id: str) -> Response:
    """Target of offer and award notifications: the assignments."""
    return see_other("/assistenz/einsaetze")
