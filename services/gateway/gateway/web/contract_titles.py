"""Human titles of assistance contracts (and of an assistant's open offers) for lists and pages,
from what the caller may see: the agreed activities and first day, else the meeting date; for a
coordinator also the name of the provider's assistant (identity shows coordinators their own
assistants, nobody the seeker's name). The contract number stays secondary text."""

from __future__ import annotations

import asyncio

from fastapi import Request

from gateway.web import describe
from gateway.web.api import call
from gateway.web.i18n import activity_label, translate
from gateway.web.render import lang_of

CONTRACTS = "/api/v1/contracts/assistance"


def title(lang: str, contract: dict, name: str | None = None) -> str:
    """„Einkaufen, Haushalt ab 01.12.2026“, else „Kennenlernen am …“; `name` goes in front."""
    terms = contract.get("terms") or {}
    if terms.get("activities") and terms.get("starts_on"):
        what = translate(
            lang,
            "contract_title_terms",
            day=describe.day(lang, terms["starts_on"]),
            activities=", ".join(activity_label(lang, a) for a in terms["activities"]),
        )
    elif contract.get("meeting_at"):
        what = translate(lang, "contract_title_meeting", moment=describe.moment(lang, contract["meeting_at"]))
    else:
        what = translate(lang, "contract_title_open")
    return translate(lang, "contract_title_with", name=name, what=what) if name else what


def order_title(lang: str, order: dict) -> str:
    """„Einkaufen am 07.12.2026“ (once) or „Einkaufen ab 07.12.2026“ (recurring)."""
    schedule = order["schedule"]
    once = schedule.get("kind") == "one_time"
    return translate(
        lang,
        "offer_title_once" if once else "contract_title_terms",
        day=describe.day(lang, schedule["date"] if once else schedule["start_date"]),
        activities=", ".join(activity_label(lang, a) for a in order["activities"]),
    )


def number(contract: dict) -> str:
    return contract["contract_id"][:8]


async def _terms(request: Request, contract: dict) -> dict:
    if contract.get("terms") is not None or not contract.get("draft_revision"):
        return contract
    response = await call(request, "contracts", "GET", f"{CONTRACTS}/{contract['contract_id']}", expect={200, 404})
    return response.json() if response.status_code == 200 else contract


async def _name(request: Request, account_id: str) -> str | None:
    response = await call(request, "identity", "GET", f"/api/v1/identity/accounts/{account_id}", expect={200, 404})
    return response.json().get("name") if response.status_code == 200 else None


async def titled(request: Request, contracts: list[dict], names: bool = False) -> list[dict]:
    """The contracts (the list leaves out the terms) with `title` and `number`; `names`: the
    assistants' names in front, for the coordinator, who may read them."""
    lang = lang_of(request)
    full = await asyncio.gather(*(_terms(request, c) for c in contracts))
    ids = sorted({c["assistant_id"] for c in full}) if names else []
    found = dict(zip(ids, await asyncio.gather(*(_name(request, i) for i in ids))))
    return [c | {"title": title(lang, c, found.get(c["assistant_id"])), "number": number(c)} for c in full]


async def _order(request: Request, order_id: str) -> dict | None:
    response = await call(request, "orders", "GET", f"/api/v1/orders/orders/{order_id}", expect={200, 404})
    return response.json() if response.status_code == 200 else None


async def titled_offers(request: Request, offers: list[dict]) -> list[dict]:
    """The offers with `title` from their order (an assistant sees the orders of the market)."""
    lang = lang_of(request)
    orders = await asyncio.gather(*(_order(request, o["order_id"]) for o in offers))
    return [o | {"title": order_title(lang, order) if order else None} for o, order in zip(offers, orders)]
