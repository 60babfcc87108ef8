"""Statistics of a centre's case records for a period (admins): counts and minutes per topic,
channel, counselor and month as tables, the months also as a bar chart (SVG with a title and a
description; the table stays for screen readers), the records as CSV for Excel, and mail
counseling's response times (answered, in time, median / average / longest wait; waiting and overdue now)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web import describe
from gateway.web.api import call, get_json
from gateway.web.centres.catalogue import labels
from gateway.web.counseling import kt, workspace, workspace_page
from gateway.web.counseling.mail_texts import MAIL
from gateway.web.forms import csrf_protect
from gateway.web.render import lang_of
from teilhabe_kit.documents import download_headers

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
CHART_HEIGHT = 160
BAR_WIDTH = 36
GAP = 12
MONTHS_DE = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    label: str
    count: int


def _period(request: Request) -> tuple[dict[str, str], dict[str, str]]:
    """The period asked for (ISO dates) as API parameters, and what the form shows."""
    values = {k: request.query_params.get(k, "").strip() for k in ("from", "to")}
    params = {}
    for key, value in values.items():
        try:
            params[key] = date.fromisoformat(value).isoformat()
        except ValueError:
            continue
    return params, values


def bars(months: list[dict], lang: str) -> list[Bar]:
    """One bar per month, scaled to the busiest month."""
    names = MONTHS_EN if lang == "en" else MONTHS_DE
    highest = max((m["count"] for m in months), default=0) or 1
    found = []
    for index, month in enumerate(months):
        height = round(month["count"] / highest * CHART_HEIGHT)
        year, number = month["key"][:4], int(month["key"][5:7])
        label = f"{names[number - 1]} {year[2:]}"
        found.append(Bar(GAP + index * (BAR_WIDTH + GAP), CHART_HEIGHT - height + 20, height, label, month["count"]))
    return found


@router.get("/beratungsstelle/statistik", response_class=HTMLResponse)
async def statistics(request: Request) -> Response:
    place = await workspace(request, admin=True)
    params, values = _period(request)
    figures, team, mail = await asyncio.gather(
        get_json(request, "counseling", f"{place.api}/statistics", params=params),
        get_json(request, "counseling", f"{place.api}/counselors"),
        get_json(request, "counseling", f"{place.api}/mail-statistics", params=params),
    )
    lang = lang_of(request)
    topics = labels(lang)["topics"]
    names = {c["counselor_id"]: c["display_name"] for c in team}
    months = {m["key"]: b.label for m, b in zip(figures["month"], bars(figures["month"], lang), strict=True)}
    return workspace_page(
        request,
        "counseling/statistics.html",
        place,
        title=kt(request, "statistics"),
        figures=figures,
        values=values,
        topic_label=lambda key: topics.get(key, key),
        channel_label=lambda key: kt(request, f"channel_{key}"),
        counselor_label=lambda key: names.get(key, kt(request, "colleague")),
        month_label=lambda key: months.get(key, key),
        bars=bars(figures["month"], lang),
        chart_width=GAP + len(figures["month"]) * (BAR_WIDTH + GAP),
        chart_height=CHART_HEIGHT + 50,
        bar_width=BAR_WIDTH,
        csv_query="&".join(f"{k}={v}" for k, v in params.items()),
        mail=mail,
        mt=lambda key, **values: MAIL.text(lang, key, **values),
        hours_text=lambda hours: "–" if hours is None else describe.number(lang, hours, 1),
    )


@router.get("/beratungsstelle/monitoring.csv")
async def export(request: Request) -> Response:
    """The records of the period as CSV (UTF-8 with BOM, semicolon) from counseling."""
    place = await workspace(request, admin=True)
    params, _ = _period(request)
    response = await call(request, "counseling", "GET", f"{place.api}/records.csv", params=params)
    first, last = params.get("from", "anfang"), params.get("to", "heute")
    return Response(
        response.content,
        media_type="text/csv; charset=utf-8",
        headers=download_headers(f"monitoring-{first}-{last}.csv"),
    )
