"""A centre's counseling settings (admins): contact and billing address, automatic primary
counselor, overdue days of mail counseling, deletion days, the filter criteria of clients and the
extra fields of case records. Each change saves the whole settings with the version read."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gateway.web.api import call, get_json
from gateway.web.counseling import Workspace, kt, workspace, workspace_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
PAGE = "/beratungsstelle/einstellungen-beratung"
ADDRESS = ("name", "street", "postcode", "city", "email", "phone")
FIELD_TYPES = ("text", "choice", "number", "yes_no")
NUMBERS = {"mail_overdue_days": "overdue", "deletion_days": "deletion"}


def key_of(label: str) -> str:
    """A stable key from a German label: ``Unter 25 Jahre`` → ``unter_25_jahre``."""
    plain = unicodedata.normalize("NFKD", label.lower().replace("ß", "ss")).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40]
    return key if key[:1].isalpha() else f"k_{key}"[:40]


def _address(form: FormData, prefix: str) -> dict | None:
    values = {k: str(form.get(f"{prefix}_{k}", "")).strip() for k in ADDRESS}
    if not any(values.values()):
        return None
    return {k: v for k, v in values.items() if v or k in ("name", "street", "postcode", "city")}


def _number(raw: str) -> int | str:
    return int(raw) if raw.strip().isdigit() else raw.strip()


async def _page(request: Request, place: Workspace, settings: dict, status_code: int = 200, errors=None):
    return workspace_page(
        request,
        "counseling/settings.html",
        place,
        status_code=status_code,
        title=kt(request, "settings"),
        s=settings,
        field_types=FIELD_TYPES,
        address_parts=ADDRESS,
        errors=errors or {},
    )


@router.get(PAGE, response_class=HTMLResponse)
async def settings(request: Request) -> Response:
    place = await workspace(request, admin=True)
    return await _page(request, place, await get_json(request, "counseling", f"{place.api}/settings"))


async def _save(request: Request, place: Workspace, settings: dict, changed: dict[str, Any], form_field: str):
    body = {k: v for k, v in (settings | changed).items() if k != "version"}
    response = await call(
        request,
        "counseling",
        "PUT",
        f"{place.api}/settings",
        json=body,
        headers={"If-Match": str(settings["version"])},
        expect={200, 204, 409, 422},
    )
    if response.status_code in (200, 204):
        session_of(request).set("notice", "saved")
        return see_other(PAGE)
    names = (
        {"form": form_field, "If-Match": form_field}
        | NUMBERS
        | {f"{part}_address": f"{part}_address" for part in ("contact", "billing")}
    )
    errors = field_errors(response, names)
    return await _page(request, place, settings | changed, 409 if response.status_code == 409 else 422, errors)


@router.post(PAGE, response_class=HTMLResponse)
async def save(request: Request) -> Response:
    place = await workspace(request, admin=True)
    form = await request.form()
    settings = await get_json(request, "counseling", f"{place.api}/settings")
    changed = {
        "contact_address": _address(form, "contact"),
        "billing_address": _address(form, "billing"),
        "automatic_primary_counselor": form.get("automatic_primary_counselor") == "on",
        "mail_overdue_days": _number(str(form.get("overdue", ""))),
        "deletion_days": _number(str(form.get("deletion", ""))),
    }
    return await _save(request, place, settings, changed, "overdue")


@router.post(f"{PAGE}/filter", response_class=HTMLResponse)
async def add_criterion(request: Request) -> Response:
    place = await workspace(request, admin=True)
    label = str((await request.form()).get("criterion", "")).strip()
    settings = await get_json(request, "counseling", f"{place.api}/settings")
    if not label:
        return await _page(request, place, settings, 422, {"criterion": kt(request, "enter_criterion")})
    criteria = [*settings["filter_criteria"], {"key": key_of(label), "label": label}]
    return await _save(request, place, settings, {"filter_criteria": criteria}, "criterion")


@router.post(f"{PAGE}/felder", response_class=HTMLResponse)
async def add_field(request: Request) -> Response:
    place = await workspace(request, admin=True)
    form = await request.form()
    label = str(form.get("field_label", "")).strip()
    kind = str(form.get("field_type", "text"))
    choices = [c.strip() for c in str(form.get("field_choices", "")).split(",") if c.strip()]
    settings = await get_json(request, "counseling", f"{place.api}/settings")
    if not label:
        return await _page(request, place, settings, 422, {"field_label": kt(request, "enter_field_label")})
    spec = {"key": key_of(label), "label": label, "type": kind, "choices": choices, "required": False}
    return await _save(request, place, settings, {"record_fields": [*settings["record_fields"], spec]}, "field_label")


@router.post(f"{PAGE}/{{kind}}/{{key}}/entfernen", response_class=HTMLResponse)
async def remove(request: Request, kind: str, key: str) -> Response:
    """Remove a filter criterion or a record field (records keep what they held)."""
    place = await workspace(request, admin=True)
    settings = await get_json(request, "counseling", f"{place.api}/settings")
    name = {"filter": "filter_criteria", "feld": "record_fields"}.get(kind)
    if name is None:
        return see_other(PAGE)
    kept = [item for item in settings[name] if item["key"] != key]
    return await _save(request, place, settings, {name: kept}, "criterion" if kind == "filter" else "field_label")
