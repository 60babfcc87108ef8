"""Self-service of a counseling centre (its admins): profile, offers and opening hours, each saved as
the whole profile with the version read (`If-Match`), and the audit history ("who changed what when").

The centre is the token's `org`. A change is live in the public finder at once.
"""

from __future__ import annotations

import re
from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gateway.web.api import call, get_json
from gateway.web.centres import centre_page, ct, signed_in_principal
from gateway.web.centres.catalogue import labels
from gateway.web.forms import clock, csrf_protect, field_errors
from gateway.web.render import lang_of, require_user, see_other, session_of
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
CENTRES = "/api/v1/centres/centres"
SLOTS = (1, 2)
OFFER_KINDS = ("topics", "target_groups", "languages", "channels", "accessibility")
FIELDS = {  # API field → form field
    "address.street": "street",
    "address.postcode": "postcode",
    "address.city": "city",
    "contact.phone": "phone",
    "contact.email": "email",
    "contact.website": "website",
    "service_area.postcodes": "area_postcodes",
    "service_area.radius_km": "area_radius",
    "service_area": "area_postcodes",
    "links.booking_url": "booking_url",
    "links.counseling_url": "counseling_url",
    "opening_hours.weekly": "hours",
    "opening_hours.closed_on": "closed_days",
    "opening_hours": "hours",
    "If-Match": "form",
}


async def _centre(request: Request) -> dict:
    require_user(request, "centre_admin")
    centre_id = (await signed_in_principal(request)).organisation_id
    if not centre_id:
        raise Problem(ct(request, "no_centre"), status=403, title="Forbidden")
    return await get_json(request, "centres", f"{CENTRES}/{centre_id}")


def _show(request: Request, template: str, centre: dict, title_key: str, status_code: int = 200, **context):
    return centre_page(
        request,
        template,
        status_code=status_code,
        title=ct(request, title_key, centre=centre["name"]),
        centre=centre,
        labels=labels(lang_of(request)),
        **context,
    )


async def _save(request: Request, centre: dict, profile: dict) -> dict[str, str] | None:
    """PUT the whole profile with the version read; None when saved, else the errors by form field."""
    response = await call(
        request,
        "centres",
        "PUT",
        f"{CENTRES}/{centre['centre_id']}/profile",
        json=profile,
        headers={"If-Match": str(centre["version"])},
        expect={200, 409, 422},
    )
    if response.status_code == 200:
        session_of(request).set("notice", "centre_saved")
        return None
    if response.status_code == 409:
        return {"form": ct(request, "conflict")}
    return field_errors(response, FIELDS)


def _base(centre: dict) -> dict:
    """The current profile as the API takes it back (a first profile starts empty)."""
    profile = dict(centre.get("profile") or {})
    profile.pop("location", None)
    return profile


def _text(form: FormData, name: str) -> str | None:
    value = str(form.get(name, "")).strip()
    return value or None


@router.get("/beratungsstelle", response_class=HTMLResponse)
async def profile_form(request: Request) -> Response:
    centre = await _centre(request)
    return _show(request, "centres/self_profile.html", centre, "self_profile_title", values=_profile_values(centre))


def _profile_values(centre: dict) -> dict:
    p = centre.get("profile") or {}
    address, contact, area = p.get("address", {}), p.get("contact", {}), p.get("service_area", {})
    return {
        "name": p.get("name", centre["name"]),
        "provider": p.get("provider", ""),
        "description": p.get("description") or "",
        "street": address.get("street", ""),
        "postcode": address.get("postcode", centre.get("postcode", "")),
        "city": address.get("city", ""),
        "phone": contact.get("phone") or "",
        "email": contact.get("email") or "",
        "website": contact.get("website") or "",
        "area_postcodes": " ".join(area.get("postcodes", [])),
        "area_radius": "" if area.get("radius_km") is None else f"{area['radius_km']:g}",
    }


@router.post("/beratungsstelle", response_class=HTMLResponse)
async def profile_save(request: Request) -> Response:
    centre = await _centre(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in _profile_values(centre)}
    radius = values["area_radius"].replace(",", ".")
    profile = _base(centre) | {
        "name": values["name"],
        "provider": values["provider"],
        "description": values["description"] or None,
        "address": {"street": values["street"], "postcode": values["postcode"], "city": values["city"]},
        "contact": {"phone": _text(form, "phone"), "email": _text(form, "email"), "website": _text(form, "website")},
        "service_area": {
            "postcodes": [p for p in re.split(r"[\s,;]+", values["area_postcodes"]) if p],
            "radius_km": radius or None,
        },
    }
    for kind in ("topics", "languages", "channels"):
        profile.setdefault(kind, [])
    errors = await _save(request, centre, profile)
    if errors is None:
        return see_other("/beratungsstelle")
    return _show(request, "centres/self_profile.html", centre, "self_profile_title", 422, values=values, errors=errors)


@router.get("/beratungsstelle/angebote", response_class=HTMLResponse)
async def offers_form(request: Request) -> Response:
    centre = await _centre(request)
    p = centre.get("profile") or {}
    values = {k: p.get(k, []) for k in OFFER_KINDS} | {
        "booking_url": (p.get("links") or {}).get("booking_url") or "",
        "counseling_url": (p.get("links") or {}).get("counseling_url") or "",
    }
    return _show(request, "centres/self_offers.html", centre, "self_offers_title", values=values)


@router.post("/beratungsstelle/angebote", response_class=HTMLResponse)
async def offers_save(request: Request) -> Response:
    centre = await _centre(request)
    if not centre.get("profile"):
        return _show(
            request,
            "centres/self_offers.html",
            centre,
            "self_offers_title",
            409,
            values={},
            errors={"form": ct(request, "profile_first")},
        )
    form = await request.form()
    values = {k: form.getlist(k) for k in OFFER_KINDS} | {
        "booking_url": str(form.get("booking_url", "")).strip(),
        "counseling_url": str(form.get("counseling_url", "")).strip(),
    }
    profile = _base(centre) | {k: values[k] for k in OFFER_KINDS}
    profile["links"] = {
        "booking_url": values["booking_url"] or None,
        "counseling_url": values["counseling_url"] or None,
    }
    errors = await _save(request, centre, profile)
    if errors is None:
        return see_other("/beratungsstelle/angebote")
    return _show(request, "centres/self_offers.html", centre, "self_offers_title", 422, values=values, errors=errors)


def _hours_values(weekly: list[dict]) -> dict[str, str]:
    values: dict[str, str] = {}
    count: dict[int, int] = {}
    for r in weekly:
        slot = count[r["weekday"]] = count.get(r["weekday"], 0) + 1
        if slot in SLOTS:
            values[f"from_{r['weekday']}_{slot}"] = str(r["start"])[:5]
            values[f"to_{r['weekday']}_{slot}"] = str(r["end"])[:5]
    return values


@router.get("/beratungsstelle/oeffnungszeiten", response_class=HTMLResponse)
async def hours_form(request: Request) -> Response:
    centre = await _centre(request)
    hours = (centre.get("profile") or {}).get("opening_hours") or {}
    values = _hours_values(hours.get("weekly", [])) | {
        "closed_days": "\n".join(date.fromisoformat(d).strftime("%d.%m.%Y") for d in hours.get("closed_on", []))
    }
    return _show(request, "centres/self_hours.html", centre, "self_hours_title", values=values, slots=SLOTS)


def _closed_days(text: str) -> list[str] | None:
    days = []
    for line in (x.strip() for x in re.split(r"[\n,;]+", text)):
        if not line:
            continue
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", line)
        try:
            days.append(date(int(match[3]), int(match[2]), int(match[1])).isoformat() if match else "")
        except ValueError:
            return None
        if not match:
            return None
    return days


@router.post("/beratungsstelle/oeffnungszeiten", response_class=HTMLResponse)
async def hours_save(request: Request) -> Response:
    centre = await _centre(request)
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items() if k.startswith(("from_", "to_")) or k == "closed_days"}
    errors: dict[str, str] = {}
    weekly = []
    for day in range(7):
        for slot in SLOTS:
            start, end = values.get(f"from_{day}_{slot}", ""), values.get(f"to_{day}_{slot}", "")
            if not start and not end:
                continue
            begin, finish = clock(start), clock(end)
            if not begin or not finish or finish <= begin:
                errors.setdefault("hours", ct(request, "hours_bad"))
            weekly.append({"weekday": day, "start": begin or "00:00", "end": finish or "00:00"})
    closed = _closed_days(values.get("closed_days", ""))
    if closed is None:
        errors["closed_days"] = ct(request, "closed_days_bad")
    if not centre.get("profile"):
        errors = {"form": ct(request, "profile_first")}
    if not errors:
        profile = _base(centre) | {"opening_hours": {"weekly": weekly, "closed_on": closed}}
        errors = await _save(request, centre, profile) or {}
        if not errors:
            return see_other("/beratungsstelle/oeffnungszeiten")
    return _show(
        request, "centres/self_hours.html", centre, "self_hours_title", 422, values=values, errors=errors, slots=SLOTS
    )


@router.get("/beratungsstelle/verlauf", response_class=HTMLResponse)
async def history(request: Request) -> Response:
    centre = await _centre(request)
    entries = await get_json(request, "centres", f"{CENTRES}/{centre['centre_id']}/history")
    team = await get_json(request, "identity", f"/api/v1/identity/centres/{centre['centre_id']}/team")
    names = {m["account_id"]: m["name"] or m["email"] for m in team["members"]}
    me = session_of(request).get("account_id")
    for entry in entries:
        actor = entry.get("actor_id")
        entry["who"] = (
            ct(request, "who_you")
            if actor == me
            else names.get(actor)
            or ct(request, "who_system" if actor in (None, "centres", "system") else "who_platform")
        )
    return _show(request, "centres/self_history.html", centre, "self_history_title", entries=entries)
