"""Pages of seekers and guardians: dashboard (a guardian's per person they act for), an order with
its offers "in Bearbeitung" (Auftrag erteilen / Anfrage senden / Chat öffnen / Ablehnen),
withdrawing an order."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web import responders
from gateway.web.api import call, get_json
from gateway.web.forms import csrf_protect
from gateway.web.render import page, require_user, see_other, session_of, t
from gateway.web.wards import wards
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

SEEKERS = ("seeker", "guardian")
ORDERS = "/api/v1/orders/orders"
OFFER_ACTIONS = {"erteilen": "accept", "anfrage": "provider-request", "ablehnen": "decline"}
OFFER_NOTICES = {"erteilen": "awarded_notice", "anfrage": "request_sent_notice", "ablehnen": "declined_notice"}


async def _orders_of(request: Request, seeker_id: str) -> list[dict]:
    orders = await get_json(request, "orders", ORDERS, params={"seeker_id": seeker_id})
    return orders.get("items", orders) if isinstance(orders, dict) else orders


@router.get("/suchende", response_class=HTMLResponse)
async def dashboard(request: Request) -> Response:
    """The person's orders; a guardian sees those of each person they act for."""
    session = require_user(request, *SEEKERS)
    people = await wards(request)
    try:
        if "guardian" in session.get("roles", []):
            found = await asyncio.gather(*(_orders_of(request, w["id"]) for w in people))
            groups = [(w.get("name") or w["id"], orders) for w, orders in zip(people, found)]
        else:
            groups = [(None, await _orders_of(request, session.get("account_id")))]
    except Problem as problem:  # the page still offers a new order when the list cannot be loaded
        if problem.status != 503:
            raise
        return page(request, "seeker/dashboard.html", title=t(request, "seeker_dashboard"), groups=[], unavailable=True)
    return page(request, "seeker/dashboard.html", title=t(request, "seeker_dashboard"), groups=groups)


@router.get("/auftraege/{order_id}", response_class=HTMLResponse)
async def order(request: Request, order_id: str) -> Response:
    require_user(request, *SEEKERS)
    detail = await get_json(request, "orders", f"{ORDERS}/{order_id}")
    offers = await responders.people(
        request,
        detail,
        [o for o in detail.get("offers", []) if o.get("status") in ("submitted", "requested", "proposed", "accepted")],
    )
    return page(request, "seeker/order.html", title=t(request, "orders"), order=detail, offers=offers)


@router.post("/auftraege/{order_id}/angebote/{offer_id}/{action}")
async def offer_action(request: Request, order_id: str, offer_id: str, action: str) -> Response:
    require_user(request, *SEEKERS)
    if action not in OFFER_ACTIONS:
        return see_other(f"/auftraege/{order_id}")
    response = await call(request, "orders", "POST", f"{ORDERS}/{order_id}/offers/{offer_id}/{OFFER_ACTIONS[action]}")
    session_of(request).set("notice", OFFER_NOTICES[action] if response.status_code < 300 else "action_failed")
    return see_other(f"/auftraege/{order_id}")


@router.get("/auftraege/{order_id}/loeschen", response_class=HTMLResponse)
async def withdraw_confirm(request: Request, order_id: str) -> Response:
    """Deleting ends any award: the person confirms on a page of its own (error prevention)."""
    require_user(request, *SEEKERS)
    detail = await get_json(request, "orders", f"{ORDERS}/{order_id}")
    return page(request, "seeker/withdraw.html", title=t(request, "withdraw_order"), order=detail)


@router.post("/auftraege/{order_id}/freigeben")
async def publish_draft(request: Request, order_id: str) -> Response:
    require_user(request, *SEEKERS)
    response = await call(request, "orders", "POST", f"{ORDERS}/{order_id}/publish")
    session_of(request).set("notice", "published" if response.status_code < 300 else "action_failed")
    return see_other(f"/auftraege/{order_id}")


@router.post("/auftraege/{order_id}/loeschen")
async def withdraw(request: Request, order_id: str) -> Response:
    require_user(request, *SEEKERS)
    response = await call(request, "orders", "POST", f"{ORDERS}/{order_id}/withdraw")
    session_of(request).set("notice", "withdrawn_notice" if response.status_code < 300 else "action_failed")
    return see_other("/suchende")
