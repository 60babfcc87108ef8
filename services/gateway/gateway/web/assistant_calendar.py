"""The assistant's calendar („Kalender“ beside the Einsätze list): open offers, planned and active
assignments in a week or month view (the list stays the screen readers' way), and a revocable
iCalendar feed URL for the phone's calendar (calendar_feeds.py)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway import calendar_feeds
from gateway.web import calendar_dates
from gateway.web.api import call, get_json
from gateway.web.calendar_dates import Entry
from gateway.web.contract_titles import CONTRACTS, titled, titled_offers
from gateway.web.forms import csrf_protect
from gateway.web.render import page, require_user, see_other, session_of, t
from teilhabe_kit.localtime import BERLIN, today

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

HOME = "/assistenz/kalender"
OPEN_OFFERS = ["submitted", "requested", "proposed"]
FEED_DAYS = (-30, 180)
"""The feed carries the appointments from a month back to half a year ahead."""


async def _schedule(request: Request, order_id: str) -> dict | None:
    response = await call(request, "orders", "GET", f"/api/v1/orders/orders/{order_id}", expect={200, 403, 404})
    return response.json().get("schedule") if response.status_code == 200 else None


async def entries(request: Request, first: date, last: date) -> list[Entry]:
    """Open offers and planned/active assignments with their appointments between `first` and `last`."""
    offers, planned, active = await asyncio.gather(
        get_json(request, "orders", "/api/v1/orders/offers/mine", params={"status": OPEN_OFFERS}),
        get_json(request, "contracts", CONTRACTS, params={"view": "planned"}),
        get_json(request, "contracts", CONTRACTS, params={"view": "active"}),
    )
    offered = await titled_offers(request, offers["items"])
    contracts = await titled(request, planned + active)
    schedules = await asyncio.gather(
        *(_schedule(request, x["order_id"]) for x in offered), *(_schedule(request, c["order_id"]) for c in contracts)
    )
    found: list[Entry] = []
    for item, schedule in zip([*offered, *contracts], schedules, strict=True):
        contract = "contract_id" in item
        title = item.get("title") or t(request, "offer")
        state = t(request, f"contract_{item['status']}") if contract else t(request, f"my_offer_{item['status']}")
        href = f"/vertraege/{item['contract_id']}" if contract else "/assistenz/einsaetze"
        key = item.get("contract_id") or item["offer_id"]
        for start, end in calendar_dates.occurrences(schedule, first, last) if schedule else []:
            found.append(Entry(f"{key}-{start:%Y%m%d%H%M}", start, end, title, state, href))
        meeting = datetime.fromisoformat(item["meeting_at"]) if contract and item.get("meeting_at") else None
        if meeting and first <= meeting.astimezone(BERLIN).date() <= last:
            found.append(
                Entry(f"{key}-meeting", meeting, meeting + timedelta(hours=1), t(request, "meeting"), title, href)
            )
    return sorted(found, key=lambda e: e.start)


async def _keep_feed(request: Request, account_id: str) -> bool:
    """Refresh the feed's content when the assistant has one; whether there is one."""
    engine, sessions = request.app.state.engine, request.app.state.sessions
    if not await calendar_feeds.exists(engine, account_id):
        return False
    now = datetime.now(BERLIN)
    first, last = today() + timedelta(days=FEED_DAYS[0]), today() + timedelta(days=FEED_DAYS[1])
    text = calendar_dates.ics(
        await entries(request, first, last), t(request, "assignments"), str(request.base_url), now
    )
    await calendar_feeds.store(engine, sessions, account_id, text)
    return True


@router.get(HOME, response_class=HTMLResponse)
async def calendar(request: Request, view: str = "week", day: str = "") -> Response:
    session = require_user(request, "assistant")
    view = view if view in ("week", "month") else "week"
    try:
        anchor = date.fromisoformat(day) if day else today()
    except ValueError:
        anchor = today()
    first, last = calendar_dates.period(view, anchor)
    found = await entries(request, first, last)
    has_feed = await _keep_feed(request, session.get("account_id"))
    step = timedelta(days=7) if view == "week" else timedelta(days=31)
    month_anchor = anchor.replace(day=1)
    return page(
        request,
        "assistant/calendar.html",
        title=t(request, "calendar"),
        view=view,
        anchor=anchor,
        first=first,
        last=last,
        rows=calendar_dates.weeks(first, last, found),
        entries=found,
        earlier=(anchor - step if view == "week" else (month_anchor - timedelta(days=1)).replace(day=1)).isoformat(),
        later=(anchor + step if view == "week" else (month_anchor + step).replace(day=1)).isoformat(),
        today=today(),
        has_feed=has_feed,
        feed_url=session.pop("feed_url"),
    )


@router.post(f"{HOME}/abo")
async def renew_feed(request: Request) -> Response:
    """A new feed URL (an earlier one stops working); shown once on the calendar page."""
    session = require_user(request, "assistant")
    token = await calendar_feeds.renew(request.app.state.engine, session.get("account_id"))
    session.set("feed_url", f"{str(request.base_url).rstrip('/')}/kalender/{token}.ics")
    session.set("notice", "feed_ready")
    return see_other(HOME + "#feed-title")


@router.post(f"{HOME}/abo/beenden")
async def end_feed(request: Request) -> Response:
    session = require_user(request, "assistant")
    await calendar_feeds.end(request.app.state.engine, session.get("account_id"))
    session_of(request).set("notice", "feed_ended")
    return see_other(HOME + "#feed-title")


@router.get("/kalender/{token}.ics")
async def feed(request: Request, token: str) -> Response:
    """The feed for the phone's calendar (no session: the secret in the URL is the key)."""
    text = await calendar_feeds.read(request.app.state.engine, request.app.state.sessions, token)
    if text is None:
        return Response(t(request, "feed_unknown"), status_code=404, media_type="text/plain; charset=utf-8")
    body = text or calendar_dates.ics([], t(request, "assignments"), str(request.base_url), datetime.now(BERLIN))
    return Response(body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "no-store"})
