"""The counselor's calendar and settings in the counseling workspace: the week (own, colleagues'
or all appointments, days off, free times) as a week view and as a plain list for screen readers;
the own booking times; the own absences, with the appointments inside a new absence listed to move.
The appointments service checks every call (the counselor's own calendar, admins any)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gateway.web.api import call, get_json
from gateway.web.appointments import API, Offer, at, day_label, local, offer_of, when_text
from gateway.web.appointments.texts import CATALOGUE
from gateway.web.counseling import Workspace, workspace, workspace_page
from gateway.web.forms import clock, csrf_protect, field_errors
from gateway.web.render import lang_of, see_other, session_of
from teilhabe_kit.localtime import BERLIN

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
CALENDAR = "/beratungsstelle/kalender"
TIMES = f"{CALENDAR}/buchungszeiten"
ABSENCES = f"{CALENDAR}/abwesenheiten"
FEED = f"{CALENDAR}/abo"
SHOW = ("own", "others", "all")
EMPTY_ROWS = 3


def _page(request: Request, template: str, place: Workspace, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    return workspace_page(
        request,
        template,
        place,
        status_code=status_code,
        at=lambda key, **values: CATALOGUE.text(lang, key, **values),
        calendar_links=((CALENDAR, "calendar"), (TIMES, "booking_times"), (ABSENCES, "absences"), (FEED, "feed")),
        **context,
    )


def _me(request: Request) -> str:
    return str(session_of(request).get("account_id"))


def _monday(text: str | None) -> date:
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        day = datetime.now(BERLIN).date()
    return day - timedelta(days=day.weekday())


def _week(lang: str, first: date, found: dict[str, Any], offer: Offer) -> list[dict[str, Any]]:
    """The seven days, each with its entries in time order (appointments, groups) and free times."""
    days: list[dict[str, Any]] = [
        {"date": first + timedelta(days=n), "entries": [], "free": [], "off": []} for n in range(7)
    ]  # one per weekday

    def of(moment: str) -> dict[str, Any] | None:
        index = (local(moment).date() - first).days
        return days[index] if 0 <= index < 7 else None

    for b in found["bookings"]:
        if (day := of(b["starts_at"])) is not None:
            text = CATALOGUE.text(lang, "appointment", service=offer.service_text(lang, b["service_id"]))
            who = offer.counselor_name(lang, b["counselor_id"])
            day["entries"].append(
                (b["starts_at"], f"{local(b['starts_at']):%H:%M}–{local(b['ends_at']):%H:%M}", text, who)
            )
    for g in found["groups"]:
        if (day := of(g["starts_at"])) is not None:
            text = CATALOGUE.text(lang, "group", title=g["title"], seats=g["seats_left"])
            who = offer.counselor_name(lang, g["counselor_id"])
            day["entries"].append(
                (g["starts_at"], f"{local(g['starts_at']):%H:%M}–{local(g['ends_at']):%H:%M}", text, who)
            )
    for s in found["free_slots"]:
        if (day := of(s["starts_at"])) is not None:
            day["free"].append(f"{local(s['starts_at']):%H:%M}")
    for off in found["days_off"]:
        index = (date.fromisoformat(off["day"]) - first).days
        if 0 <= index < 7:
            days[index]["off"].append(off["label"])
    for day in days:
        day["entries"].sort()
        day["free"] = sorted(set(day["free"]))
        day["label"] = day_label(lang, datetime.combine(day["date"], datetime.min.time()))
    return days


@router.get(CALENDAR, response_class=HTMLResponse)
async def calendar(request: Request) -> Response:
    place = await workspace(request)
    lang = lang_of(request)
    query = request.query_params
    first = _monday(query.get("von"))
    show = query.get("zeigen") if query.get("zeigen") in SHOW else "own"
    view = "list" if query.get("ansicht") == "liste" else "week"
    found = await get_json(
        request,
        "appointments",
        f"{API}/centres/{place.centre_id}/calendar",
        params={"from": first.isoformat(), "days": 7, "show": show},
    )
    days = _week(lang, first, found, await offer_of(request, place.centre_id))
    last = first + timedelta(days=6)
    return _page(
        request,
        "appointments/calendar.html",
        place,
        title=CATALOGUE.text(lang, "calendar"),
        days=days,
        week=CATALOGUE.text(lang, "week_of", first=day_label(lang, _noon(first)), last=day_label(lang, _noon(last))),
        show=show,
        view=view,
        previous=(first - timedelta(days=7)).isoformat(),
        next=(first + timedelta(days=7)).isoformat(),
        shows=SHOW,
    )


def _noon(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=12), BERLIN)


async def _times_page(
    request: Request, place: Workspace, rows: list[dict[str, str]], status_code: int = 200, errors=None
) -> HTMLResponse:
    offer = await offer_of(request, place.centre_id)
    rows = rows + [{"weekday": "", "start": "", "end": "", "service_id": ""} for _ in range(EMPTY_ROWS)]
    return _page(
        request,
        "appointments/booking_times.html",
        place,
        status_code=status_code,
        title=at(request, "booking_times"),
        rows=rows,
        offer=offer,
        errors=errors or {},
    )


@router.get(TIMES, response_class=HTMLResponse)
async def booking_times(request: Request) -> Response:
    place = await workspace(request)
    setup = await call(
        request,
        "appointments",
        "GET",
        f"{API}/centres/{place.centre_id}/counselors/{_me(request)}",
        expect={200, 404},
    )
    known = setup.json()["booking_times"] if setup.status_code == 200 else []
    rows = [
        {"weekday": str(t["weekday"]), "start": t["start"][:5], "end": t["end"][:5], "service_id": t["service_id"]}
        for t in known
    ]
    return await _times_page(request, place, rows)


def _rows(form: FormData) -> tuple[list[dict[str, str]], list[dict[str, Any]], dict[str, str]]:
    """The form's filled rows (as typed), the booking times to save and the errors by field id."""
    rows: list[dict[str, str]] = []
    times: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for n in range(int(str(form.get("rows", "0")) or 0)):
        row = {k: str(form.get(f"{k}_{n}", "")).strip() for k in ("weekday", "start", "end", "service_id")}
        if not any((row["start"], row["end"])):
            continue
        index = len(rows)
        rows.append(row)
        start, end = clock(row["start"]), clock(row["end"])
        for key, value in (("start", start), ("end", end)):
            if value is None:
                errors[f"{key}_{index}"] = "enter_time"
        if start and end:
            weekday = int(row["weekday"]) if row["weekday"].isdigit() else -1
            times.append({"weekday": weekday, "start": start, "end": end, "service_id": row["service_id"]})
    return rows, times, errors


@router.post(TIMES, response_class=HTMLResponse)
async def save_booking_times(request: Request) -> Response:
    place = await workspace(request)
    rows, times, errors = _rows(await request.form())
    if errors:
        return await _times_page(request, place, rows, 422, {k: at(request, v) for k, v in errors.items()})
    response = await call(
        request,
        "appointments",
        "PUT",
        f"{API}/centres/{place.centre_id}/counselors/{_me(request)}/booking-times",
        json={"booking_times": times},
    )
    if response.status_code != 200:
        problems = field_errors(response, {"form": "start_0"})
        return await _times_page(request, place, rows, 422, {_row_field(k): v for k, v in problems.items()})
    session_of(request).set("notice", "saved")
    return see_other(TIMES)


def _row_field(api_field: str) -> str:
    """`booking_times.2.end` → the form's `end_2`."""
    parts = api_field.split(".")
    if len(parts) >= 3 and parts[0] == "booking_times" and parts[1].isdigit():
        return f"{parts[2]}_{parts[1]}"
    if len(parts) == 2 and parts[0] == "booking_times" and parts[1].isdigit():
        return f"start_{parts[1]}"
    return api_field if "_" in api_field else "start_0"


def _day(text: str) -> date | None:
    text = text.strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d.%m.%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


async def _absences_page(
    request: Request, place: Workspace, status_code: int = 200, errors=None, values=None, to_move=None
) -> HTMLResponse:
    lang = lang_of(request)
    setup = await call(
        request,
        "appointments",
        "GET",
        f"{API}/centres/{place.centre_id}/counselors/{_me(request)}",
        expect={200, 404},
    )
    absences = setup.json()["absences"] if setup.status_code == 200 else []
    offer = await offer_of(request, place.centre_id)
    return _page(
        request,
        "appointments/absences.html",
        place,
        status_code=status_code,
        title=at(request, "absences"),
        absences=[
            a
            | {
                "first": day_label(lang, _noon(date.fromisoformat(a["first_day"]))),
                "last": day_label(lang, _noon(date.fromisoformat(a["last_day"]))),
            }
            for a in absences
        ],
        to_move=[
            {
                "when": when_text(lang, b["starts_at"], b["ends_at"]),
                "service": offer.service_text(lang, b["service_id"]),
            }
            for b in to_move or []
        ],
        errors=errors or {},
        values=values or {},
    )


@router.get(ABSENCES, response_class=HTMLResponse)
async def absences(request: Request) -> Response:
    place = await workspace(request)
    to_move = session_of(request).pop("appointments_to_move")
    return await _absences_page(request, place, to_move=to_move)


@router.post(ABSENCES, response_class=HTMLResponse)
async def add_absence(request: Request) -> Response:
    place = await workspace(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("first_day", "last_day", "label")}
    first, last = _day(values["first_day"]), _day(values["last_day"])
    errors = {k: at(request, "enter_day") for k, v in (("first_day", first), ("last_day", last)) if v is None}
    if not values["label"]:
        errors["label"] = at(request, "enter_label")
    if errors:
        return await _absences_page(request, place, 422, errors, values)
    assert first is not None and last is not None
    response = await call(
        request,
        "appointments",
        "POST",
        f"{API}/centres/{place.centre_id}/counselors/{_me(request)}/absences",
        json={"first_day": first.isoformat(), "last_day": last.isoformat(), "label": values["label"]},
    )
    if response.status_code != 201:
        return await _absences_page(request, place, 422, field_errors(response, {"form": "first_day"}), values)
    session = session_of(request)
    session.set("notice", "saved")
    session.set("appointments_to_move", response.json()["bookings_to_move"])
    return see_other(ABSENCES)


@router.post(ABSENCES + "/{absence_id}/loeschen", response_class=HTMLResponse)
async def remove_absence(request: Request, absence_id: str) -> Response:
    place = await workspace(request)
    await call(
        request,
        "appointments",
        "DELETE",
        f"{API}/centres/{place.centre_id}/counselors/{_me(request)}/absences/{absence_id}",
        expect={204},
    )
    session_of(request).set("notice", "saved")
    return see_other(ABSENCES)


def _feed_api(request: Request, place: Workspace) -> str:
    return f"{API}/centres/{place.centre_id}/counselors/{_me(request)}/feed"


async def _feed_page(request: Request, place: Workspace, new_url: str | None = None) -> HTMLResponse:
    state = await get_json(request, "appointments", _feed_api(request, place))
    since = state["active_since"]
    return _page(
        request,
        "appointments/feed.html",
        place,
        title=at(request, "feed"),
        since=when_text(lang_of(request), since) if since else None,
        new_url=new_url,
    )


@router.get(FEED, response_class=HTMLResponse)
async def feed(request: Request) -> Response:
    return await _feed_page(request, await workspace(request))


@router.post(FEED, response_class=HTMLResponse)
async def new_feed(request: Request) -> Response:
    """The new address is shown on this answer only (not stored in the session, not redirected)."""
    place = await workspace(request)
    made = await call(request, "appointments", "POST", _feed_api(request, place), expect={201})
    answer = await _feed_page(request, place, str(request.base_url).rstrip("/") + made.json()["url"])
    answer.headers["Cache-Control"] = "no-store"
    return answer


@router.post(FEED + "/sperren", response_class=HTMLResponse)
async def revoke_feed(request: Request) -> Response:
    place = await workspace(request)
    await call(request, "appointments", "DELETE", _feed_api(request, place), expect={204, 404})
    session_of(request).set("notice", "saved")
    return see_other(FEED)
