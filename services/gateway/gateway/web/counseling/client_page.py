"""One client for counselors and centre admins: master data, primary counselor and groups, the
bookmark, notes (newest first; the author deletes their own), case records (Monitoring: date,
minutes, topic and channel required, plus the centre's fields; counselors see their own, admins
all), and — through identity — a new initial password, block/unblock, delete/restore."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.centres.catalogue import labels
from gateway.web.counseling import Workspace, kt, workspace, workspace_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import lang_of, see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
PAGE = "/beratungsstelle/ratsuchende/{client_id}"
IDENTITY = "/api/v1/identity"
CHANNELS = ("mail", "chat", "appointment", "on_site", "phone", "video", "other")
ACCOUNT_ACTIONS = {"sperren": "lock", "entsperren": "unlock", "loeschen": "deletion", "wiederherstellen": "restore"}


async def _none() -> list:
    return []


async def client_page(
    request: Request, place: Workspace, client_id: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    client, notes, records, settings, team, messages = await asyncio.gather(
        get_json(request, "counseling", f"{place.api}/clients/{client_id}"),
        get_json(request, "counseling", f"{place.api}/clients/{client_id}/notes"),
        get_json(request, "counseling", f"{place.api}/clients/{client_id}/records"),
        get_json(request, "counseling", f"{place.api}/settings"),
        get_json(request, "counseling", f"{place.api}/counselors"),
        get_json(request, "counseling", f"{place.api}/clients/{client_id}/messages") if place.admin else _none(),
    )
    names = {c["counselor_id"]: c["display_name"] for c in team}
    md = client["master_data"]
    md_values = {("md_note" if k == "note" else k): str(v) for k, v in md.items() if k != "languages"}
    md_values["languages"] = ", ".join(md.get("languages", []))
    criteria = {c["key"]: c["label"] for c in settings.get("filter_criteria", [])}
    context = {"errors": {}, "values": {}, "md_values": md_values} | context
    return workspace_page(
        request,
        "counseling/client.html",
        place,
        status_code=status_code,
        title=client["pseudonym"] or kt(request, "erased"),
        client=client,
        notes=notes,
        records=records,
        messages=messages,
        settings=settings,
        criterion_label=lambda key: criteria.get(key, key),
        genders=("female", "male", "diverse", "unknown"),
        age_groups=("under_18", "18_26", "27_44", "45_64", "65_plus"),
        households=("single", "couple", "family", "single_parent", "shared", "other"),
        names=names,
        me=session_of(request).get("account_id"),
        channels=CHANNELS,
        topics=labels(lang_of(request))["topics"],
        **context,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def client(request: Request, client_id: str) -> Response:
    return await client_page(request, await workspace(request), client_id)


def go_back(request: Request, client_id: str, notice: str, anchor: str = "") -> Response:
    session_of(request).set("notice", notice)
    return see_other(PAGE.format(client_id=client_id) + anchor)


@router.post(f"{PAGE}/notizen", response_class=HTMLResponse)
async def add_note(request: Request, client_id: str) -> Response:
    place = await workspace(request)
    text = str((await request.form()).get("note", "")).strip()
    if not text:
        return await client_page(request, place, client_id, 422, errors={"note": kt(request, "enter_note")})
    response = await call(request, "counseling", "POST", f"{place.api}/clients/{client_id}/notes", json={"text": text})
    if response.status_code >= 300:
        errors = field_errors(response, {"text": "note", "form": "note"})
        return await client_page(request, place, client_id, 422, errors=errors, values={"note": text})
    return go_back(request, client_id, "note_saved", "#notes-title")


@router.post(f"{PAGE}/notizen/{{note_id}}/loeschen")
async def delete_note(request: Request, client_id: str, note_id: str) -> Response:
    place = await workspace(request)
    await call(request, "counseling", "DELETE", f"{place.api}/clients/{client_id}/notes/{note_id}")
    return go_back(request, client_id, "note_deleted", "#notes-title")


def _record(form, settings: dict) -> dict:
    """The case record as the API takes it; the centre's fields by their type."""
    fields: dict[str, Any] = {}
    for spec in settings.get("record_fields", []):
        raw = str(form.get(f"field_{spec['key']}", "")).strip()
        if spec["type"] == "yes_no":
            fields[spec["key"]] = raw == "yes"
        elif raw and spec["type"] == "number":
            fields[spec["key"]] = (
                float(raw.replace(",", ".")) if raw.replace(",", "").replace(".", "").isdigit() else raw
            )
        elif raw:
            fields[spec["key"]] = raw
    minutes = str(form.get("minutes", "")).strip()
    return {
        "occurred_on": str(form.get("occurred_on", "")).strip(),
        "minutes": int(minutes) if minutes.lstrip("-").isdigit() else minutes,
        "subject": str(form.get("subject", "")),
        "channel": str(form.get("channel", "")),
        "fields": fields,
    }


@router.post(f"{PAGE}/monitoring", response_class=HTMLResponse)
async def add_record(request: Request, client_id: str) -> Response:
    place = await workspace(request)
    form = await request.form()
    settings = await get_json(request, "counseling", f"{place.api}/settings")
    body = _record(form, settings)
    errors = {}
    for name in ("occurred_on", "minutes", "subject", "channel"):
        if body[name] in ("", None):
            errors[name] = kt(request, f"enter_{name}")
    if not errors:
        response = await call(request, "counseling", "POST", f"{place.api}/clients/{client_id}/records", json=body)
        if response.status_code < 300:
            return go_back(request, client_id, "record_saved", "#records-title")
        errors = field_errors(response, {"form": "occurred_on"})
        errors = {(k if not k.startswith("fields") else "record_fields"): v for k, v in errors.items()}
    values = {k: str(form.get(k, "")) for k in form.keys()}
    return await client_page(request, place, client_id, 422, errors=errors, values=values)


@router.post(f"{PAGE}/neues-passwort", response_class=HTMLResponse)
async def new_password(request: Request, client_id: str) -> Response:
    """A new initial password, shown once (the client changes it at the next sign-in)."""
    place = await workspace(request)
    response = await call(
        request, "identity", "POST", f"{IDENTITY}/centres/{place.centre_id}/clients/{client_id}/password"
    )
    page = await client_page(request, place, client_id, new_password=response.json()["initial_password"])
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post(f"{PAGE}/konto/{{action}}", response_class=HTMLResponse)
async def account_action(request: Request, client_id: str, action: str) -> Response:
    """Block, unblock, delete (restorable until the centre's deletion day) or restore."""
    place = await workspace(request)
    if action not in ACCOUNT_ACTIONS:
        return see_other(PAGE.format(client_id=client_id))
    body = {"reason": None} if action == "sperren" else None
    await call(
        request,
        "identity",
        "POST",
        f"{IDENTITY}/centres/{place.centre_id}/clients/{client_id}/{ACCOUNT_ACTIONS[action]}",
        json=body,
    )
    return go_back(request, client_id, f"client_{ACCOUNT_ACTIONS[action]}")
