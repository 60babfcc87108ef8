"""The centre admin's mail counseling settings: each counselor's availability for new requests
(unlimited, none, by free places up to a maximum of open requests, or not in the distribution), the
fallback counselor, the openness (who may take over) and the days until a request is overdue (the
latter stored with the centre's counseling settings, saved with the version read)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gateway.web.api import call, get_json
from gateway.web.counseling import Workspace, workspace
from gateway.web.counseling.mail_pages import mail_page, mail_text, notify
from gateway.web.forms import csrf_protect, field_errors, form_text
from gateway.web.render import see_other

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
PAGE = "/beratungsstelle/mailberatung/einstellungen"
MODES = ("unset", "unlimited", "none", "resources")
OPENNESS = ("closed", "released", "open")


async def _page(request: Request, place: Workspace, status_code: int = 200, errors=None, values=None):
    rules, team, settings = await asyncio.gather(
        get_json(request, "counseling", f"{place.api}/mail-settings"),
        get_json(request, "counseling", f"{place.api}/counselors"),
        get_json(request, "counseling", f"{place.api}/settings"),
    )
    names = {c["counselor_id"]: c["display_name"] for c in team}
    names |= {k: k for k in rules["availability"] if k not in names}  # in the distribution, no profile (yet)
    if values is None:
        values = {"fallback": rules["fallback_counselor_id"] or "", "openness": rules["openness"]}
        values["overdue"] = settings["mail_overdue_days"]
        for counselor_id in names:
            given = rules["availability"].get(counselor_id) or {}
            values[f"mode-{counselor_id}"] = given.get("mode", "unset")
            values[f"max-{counselor_id}"] = given.get("max_open") or ""
    return mail_page(
        request,
        "counseling/mail_settings.html",
        place,
        status_code=status_code,
        title=mail_text(request, "mail_settings"),
        names=names,
        modes=MODES,
        openness_levels=OPENNESS,
        values=values,
        errors=errors or {},
    )


@router.get(PAGE, response_class=HTMLResponse)
async def settings(request: Request) -> Response:
    return await _page(request, await workspace(request, admin=True))


def _availability(request: Request, form: FormData, values: dict) -> tuple[dict, dict[str, str]]:
    """The availability by counselor from the form's `mode-<id>`/`max-<id>` fields, and the errors."""
    availability: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for key in [k for k in form if k.startswith("mode-")]:
        counselor_id = key.removeprefix("mode-")
        mode, maximum = form_text(form, key), form_text(form, f"max-{counselor_id}")
        values[key], values[f"max-{counselor_id}"] = mode, maximum
        if mode not in MODES or mode == "unset":
            continue
        if mode != "resources":
            availability[counselor_id] = {"mode": mode}
        elif maximum.isdigit() and 1 <= int(maximum) <= 1000:
            availability[counselor_id] = {"mode": mode, "max_open": int(maximum)}
        else:
            errors[f"max-{counselor_id}"] = mail_text(request, "enter_max_open")
    return availability, errors


@router.post(PAGE, response_class=HTMLResponse)
async def save(request: Request) -> Response:
    place = await workspace(request, admin=True)
    form = await request.form()
    values = {name: form_text(form, name) for name in ("fallback", "openness", "overdue")}
    availability, errors = _availability(request, form, values)
    if errors:
        return await _page(request, place, 422, errors, values)
    body = {"availability": availability, "fallback_counselor_id": values["fallback"] or None}
    body["openness"] = values["openness"]
    response = await call(request, "counseling", "PUT", f"{place.api}/mail-settings", json=body)
    if response.status_code >= 300:
        names = {"form": "openness", "fallback_counselor_id": "fallback"}
        names |= {f"availability.{k}": f"mode-{k}" for k in availability}
        names |= {f"availability.{k}.max_open": f"max-{k}" for k in availability}
        return await _page(request, place, 422, field_errors(response, names), values)
    settings = await get_json(request, "counseling", f"{place.api}/settings")
    overdue = int(values["overdue"]) if values["overdue"].isdigit() else values["overdue"]
    if overdue != settings["mail_overdue_days"]:
        changed = {k: v for k, v in settings.items() if k != "version"} | {"mail_overdue_days": overdue}
        response = await call(
            request,
            "counseling",
            "PUT",
            f"{place.api}/settings",
            json=changed,
            headers={"If-Match": str(settings["version"])},
        )
        if response.status_code >= 300:
            errors = field_errors(response, {"form": "overdue", "mail_overdue_days": "overdue", "If-Match": "overdue"})
            return await _page(request, place, 422, errors, values)
    notify(request, "mail_settings_saved")
    return see_other(PAGE)
