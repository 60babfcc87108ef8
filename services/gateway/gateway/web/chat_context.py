"""What a chat is about: the other person's name (the responder's first name or provider for the
seeker, "the person seeking help" for the assistant side) and the order it belongs to."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from gateway.web import describe, responders
from gateway.web.api import call
from gateway.web.render import lang_of, t

ORDERS = "/api/v1/orders/orders"


async def context(request: Request, order_id: str | None, offer_id: str | None, as_person: str) -> dict[str, Any]:
    """{"name", "order_text", "order_link"} of an offer's chat; empty for other conversations or
    when the order can no longer be read."""
    if not order_id:
        return {}
    response = await call(request, "orders", "GET", f"{ORDERS}/{order_id}", expect={200, 403, 404})
    if response.status_code != 200:
        return {}
    order = response.json()
    seeker_side = as_person == order.get("seeker_id")
    name = t(request, "the_seeker")
    if seeker_side:
        offer = next((o for o in order.get("offers", []) if o.get("offer_id") == offer_id), None)
        who = await responders.person(request, order, offer) if offer else {}
        name = who.get("first_name") or who.get("provider_name") or t(request, "assistant")
    schedule = order.get("schedule")
    return {
        "name": name,
        "order_text": describe.schedule(lang_of(request), schedule) if schedule else t(request, "orders"),
        "order_link": f"/auftraege/{order_id}" if seeker_side else None,
    }
