"""The search-order wizard of seed 001 with the live count of available assistants.

Steps: kind and description → dates → activities → traits and distance → release; a guardian
first says for whom the order is ("Für wen ist der Auftrag?", one of their wards). The answers
live in the session until "Auftrag freigeben" sends them to orders. On every change, htmx asks
matching for the count of assistants that would match now; without JavaScript the count is shown
when a step is rendered.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gateway.web.api import EXPECTED, call, get_json
from gateway.web.forms import bad_ranges, clock, csrf_protect, field_errors, form_text, shown_ranges, weekly_ranges
from gateway.web.render import page, require_user, see_other, session_of, t
from gateway.web.wards import wards
from teilhabe_events.activities import Activity, Trait

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

SEEKERS = ("seeker", "guardian", "coordinator")
"""Who creates orders here: a seeker, a guardian for a ward, a coordinator for a seeker they found."""
LOOKUP = "/api/v1/identity/seekers/lookup"
COUNT = "/api/v1/matching/candidate-count"
ORDERS = "/api/v1/orders/orders"
ME = "/api/v1/identity/me"
STEPS = [
    ("art", "order_step_kind"),
    ("termin", "order_step_dates"),
    ("taetigkeiten", "activities"),
    ("eigenschaften", "traits"),
    ("freigeben", "publish"),
]
FOR_WHOM = ("fuer-wen", "for_whom")
INTERVALS = ("weekly", "biweekly", "monthly")


def _for_others(request: Request) -> bool:
    """Guardians and coordinators first say for whom the order is."""
    return bool({"guardian", "coordinator"} & set(session_of(request).get("roles", [])))


def _steps(request: Request) -> list[tuple[str, str]]:
    return [FOR_WHOM, *STEPS] if _for_others(request) else STEPS


def _apply(request: Request, slug: str, form: FormData, draft: dict[str, Any]) -> dict[str, str]:
    """Take the step's answers into the draft; returns the errors (field → message)."""
    errors: dict[str, str] = {}
    if slug == "art":
        draft["kind"] = form_text(form, "kind") if form_text(form, "kind") in ("one_time", "recurring") else ""
        draft["description"] = form_text(form, "description")[:2000]
        if not draft["kind"]:
            errors["kind"] = t(request, "order_kind")
    elif slug == "termin":
        if draft.get("kind") == "one_time":
            for name in ("date", "start", "end"):
                draft[name] = form_text(form, name)
            draft["transport"] = bool(form.get("transport"))
            for name, label in (("date", "date"), ("start", "start_time"), ("end", "end_time")):
                if not draft[name]:
                    errors[name] = t(request, f"enter_{label}")
                elif name != "date":
                    draft[name] = clock(draft[name]) or draft[name]
                    if clock(draft[name]) is None:
                        errors[name] = t(request, "time_format")
            if not errors and draft["end"] <= draft["start"]:
                errors["end"] = t(request, "end_after_start")
        else:
            draft["start_date"] = form_text(form, "start_date")
            draft["interval"] = form_text(form, "interval") if form_text(form, "interval") in INTERVALS else "weekly"
            draft["per_interval"] = form_text(form, "per_interval") or "1"
            draft["ranges"], draft["ranges_shown"] = weekly_ranges(form, "ranges")
            if not draft["start_date"]:
                errors["start_date"] = t(request, "enter_start_date")
            if not draft["per_interval"].isdigit() or not 1 <= int(draft["per_interval"]) <= 14:
                errors["per_interval"] = t(request, "per_interval") + ": 1–14"
            if bad_ranges(draft["ranges"]):
                errors["ranges"] = t(request, "times_missing")
    elif slug == "taetigkeiten":
        if "use_needs" in form:
            draft["activities"] = list(draft.get("needs", []))
            errors["_stay"] = ""
        else:
            draft["activities"] = [a for a in form.getlist("activities") if a in Activity._value2member_map_]
            if not draft["activities"]:
                errors["activities"] = t(request, "order_activities_hint")
    elif slug == "eigenschaften":
        draft["traits"] = [x for x in form.getlist("traits") if x in Trait._value2member_map_]
        distance = form_text(form, "max_distance_km") or "25"
        draft["max_distance_km"] = distance
        try:
            if not 0 < float(distance) <= 200:
                raise ValueError
        except ValueError:
            errors["max_distance_km"] = t(request, "max_distance") + ": 1–200"
    return errors


def _schedule(draft: dict[str, Any]) -> dict[str, Any] | None:
    if draft.get("kind") == "one_time" and draft.get("date") and draft.get("start") and draft.get("end"):
        return {"kind": "one_time", "date": draft["date"], "start": draft["start"], "end": draft["end"]}
    if draft.get("kind") == "recurring" and draft.get("start_date") and draft.get("ranges"):
        return {
            "kind": "recurring",
            "start_date": draft["start_date"],
            "interval": draft.get("interval", "weekly"),
            "appointments_per_interval": int(draft.get("per_interval") or 1),
            "ranges": draft["ranges"],
        }
    return None


def _terms(draft: dict[str, Any]) -> dict[str, Any] | None:
    schedule = _schedule(draft)
    if schedule is None or not draft.get("activities") or not draft.get("postcode"):
        return None
    return {
        "schedule": schedule,
        "activities": draft["activities"],
        "traits": draft.get("traits", []),
        "postcode": draft["postcode"],
        "max_distance_km": float(draft.get("max_distance_km") or 25),
    }


async def _count_of(request: Request, terms: dict[str, Any] | None) -> int | None:
    if terms is None:
        return None
    response = await call(request, "matching", "POST", COUNT, json=terms, expect={200, 422})
    return response.json()["count"] if response.status_code == 200 else None


async def _count(request: Request, draft: dict[str, Any]) -> int | None:
    return await _count_of(request, _terms(draft))


async def _suggestions(request: Request, draft: dict[str, Any], count: int | None) -> list[dict[str, Any]]:
    """When nobody matches: what to widen (distance, traits, one activity fewer), each with the count it
    would give and the step where to change it; only those that would find somebody."""
    terms = _terms(draft)
    if count != 0 or terms is None:
        return []
    wider = min(200.0, max(50.0, terms["max_distance_km"] * 2))
    tries: list[tuple[str, dict[str, Any], dict[str, Any], str]] = []
    if wider > terms["max_distance_km"]:
        tries.append(("widen_distance", {"km": int(wider)}, terms | {"max_distance_km": wider}, "eigenschaften"))
    if terms["traits"]:
        tries.append(("without_traits", {}, terms | {"traits": []}, "eigenschaften"))
    if len(terms["activities"]) > 1:
        for dropped in terms["activities"]:
            rest = [a for a in terms["activities"] if a != dropped]
            tries.append(("without_activity", {"code": dropped}, terms | {"activities": rest}, "taetigkeiten"))
    counts = await asyncio.gather(*(_count_of(request, changed) for _, _, changed, _ in tries))
    return [
        {"key": key, "params": values, "count": n, "step": step}
        for (key, values, _, step), n in zip(tries, counts, strict=True)
        if n
    ]


def _from_profile(account: dict[str, Any]) -> dict[str, Any]:
    """The answers a new order starts with: the person's introduction, postcode and needs."""
    return {
        "description": account.get("introduction") or "",
        "postcode": account.get("postcode") or "",
        "needs": account.get("activities", []),
    }


async def _draft(request: Request) -> dict[str, Any]:
    session = require_user(request, *SEEKERS)
    draft = session.get("order_draft")
    if draft is None:
        draft = {"max_distance_km": "25", "kind": ""}
        if not _for_others(request):  # a guardian's or coordinator's draft starts from the person's profile
            draft |= _from_profile(await get_json(request, "identity", ME))
        session.set("order_draft", draft)
    return draft


async def _choose(request: Request, form: FormData, draft: dict[str, Any]) -> dict[str, str]:
    """The answer to „Für wen ist der Auftrag?“: one of the guardian's wards, or the seeker a
    coordinator finds by e-mail address or phone number; the draft then takes their profile."""
    if "coordinator" in session_of(request).get("roles", []):
        return await _find(request, form, draft)
    chosen = form_text(form, "seeker_id")
    if not chosen:
        return {"seeker_id": t(request, "choose_for_whom")}
    ward = next((w for w in await wards(request) if w["id"] == chosen), None)
    if ward is None:
        return {"seeker_id": t(request, "not_your_ward")}
    if draft.get("seeker_id") != chosen:
        draft |= _from_profile(ward) | {"seeker_id": chosen, "seeker_name": ward.get("name") or ""}
    return {}


async def _find(request: Request, form: FormData, draft: dict[str, Any]) -> dict[str, str]:
    login = form_text(form, "login")
    draft["login"] = login
    if not login:
        return {"login": t(request, "enter_seeker_login")}
    found = await call(request, "identity", "GET", LOOKUP, params={"login": login}, expect={200, 404, 422})
    if found.status_code != 200:
        return {"login": t(request, "seeker_not_found")}
    person = found.json()
    if draft.get("seeker_id") != person["id"]:
        draft |= _from_profile(person | {"activities": person["needs"]})
        draft |= {"seeker_id": person["id"], "seeker_name": person.get("name") or ""}
    return {}


def _index(request: Request, slug: str) -> int | None:
    return next((i for i, (s, _) in enumerate(_steps(request)) if s == slug), None)


async def _render(
    request: Request, index: int, draft: dict[str, Any], errors: dict[str, str] | None = None, status_code: int = 200
) -> Response:
    steps = _steps(request)
    slug, title = steps[index]
    people = await wards(request) if slug == FOR_WHOM[0] else []
    count = await _count(request, draft)
    return page(
        request,
        f"orders/step_{slug.replace('-', '_')}.html",
        status_code=status_code,
        title=t(request, title),
        steps=steps,
        index=index,
        slug=slug,
        draft=draft,
        values=draft,
        errors=errors or {},
        wards=people,
        ranges=draft.get("ranges_shown") or shown_ranges(draft.get("ranges", [])),
        count=count,
        suggestions=await _suggestions(request, draft, count),
        intervals=INTERVALS,
        schedule=_schedule(draft),
    )


def _unchosen(request: Request, draft: dict[str, Any], slug: str) -> bool:
    """A guardian's step before saying for whom the order is."""
    return _steps(request)[0] == FOR_WHOM and slug != FOR_WHOM[0] and not draft.get("seeker_id")


@router.get("/auftraege/neu", response_class=HTMLResponse)
async def start(request: Request) -> Response:
    session = require_user(request, *SEEKERS)
    session.pop("order_draft")
    await _draft(request)
    return see_other(f"/auftraege/neu/{_steps(request)[0][0]}")


@router.get("/auftraege/neu/{slug}", response_class=HTMLResponse)
async def step(request: Request, slug: str) -> Response:
    index = _index(request, slug)
    draft = await _draft(request)
    if index is None or _unchosen(request, draft, slug):
        return see_other("/auftraege/neu")
    return await _render(request, index, draft)


@router.post("/auftraege/neu/anzahl", response_class=HTMLResponse)
async def live_count(request: Request) -> Response:
    """htmx: the count for the draft with the step's current (unsaved) answers."""
    draft = dict(await _draft(request))
    form = await request.form()
    _apply(request, form_text(form, "step"), form, draft)
    count = await _count(request, draft)
    return page(request, "orders/_count.html", count=count, suggestions=await _suggestions(request, draft, count))


@router.post("/auftraege/neu/{slug}", response_class=HTMLResponse)
async def submit(request: Request, slug: str) -> Response:
    index = _index(request, slug)
    draft = await _draft(request)
    if index is None or _unchosen(request, draft, slug):
        return see_other("/auftraege/neu")
    steps = _steps(request)
    form = await request.form()
    errors = await _choose(request, form, draft) if slug == FOR_WHOM[0] else _apply(request, slug, form, draft)
    session_of(request).set("order_draft", draft)
    if "back" in form:
        return see_other(f"/auftraege/neu/{steps[max(0, index - 1)][0]}")
    if "_stay" in errors:
        return await _render(request, index, draft)
    if errors:
        return await _render(request, index, draft, errors, status_code=422)
    if slug != "freigeben":
        return see_other(f"/auftraege/neu/{steps[index + 1][0]}")
    return await _publish(request, draft)


async def _publish(request: Request, draft: dict[str, Any]) -> Response:
    last = len(_steps(request)) - 1
    terms = _terms(draft)
    if terms is None:
        return await _render(request, last, draft, {"form": t(request, "order_incomplete")}, 422)
    body = terms | {"description": draft.get("description") or None, "transport_needed": bool(draft.get("transport"))}
    if draft.get("seeker_id"):
        body["seeker_id"] = draft["seeker_id"]
    created = await call(request, "orders", "POST", ORDERS, json=body, expect=EXPECTED | {403})
    if created.status_code == 403:  # the guardianship ended meanwhile
        return await _render(request, 0, draft, {"seeker_id": t(request, "not_your_ward")}, 403)
    if created.status_code not in (200, 201):
        return await _render(request, last, draft, field_errors(created), 422)
    order_id = created.json()["order_id"]
    published = await call(request, "orders", "POST", f"{ORDERS}/{order_id}/publish")
    if published.status_code not in (200, 201, 202):
        return await _render(request, last, draft, field_errors(published), 422)
    session = session_of(request)
    session.pop("order_draft")
    session.set("notice", "published" if await _count_of(request, terms) else "published_nobody_yet")
    coordinator = "coordinator" in session.get("roles", [])
    return see_other(f"/koordination#created-{order_id}" if coordinator else f"/auftraege/{order_id}")
