"""The team's mail counseling (counselors and centre admins): the inboxes new / mine / released /
overdue, one thread with the person's previous requests ("Bisherige Anfragen"), the answer, the
draft ("Entwurf speichern", "Entwurf speichern und freigeben") and the take-over. Counseling decides
who may read, answer and take over; these pages show what it allows."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.centres.catalogue import labels
from gateway.web.counseling import Workspace, workspace
from gateway.web.counseling.mail_files import attachment_of, download, upload
from gateway.web.counseling.mail_pages import mail_page, mail_text, notify
from gateway.web.forms import csrf_protect, field_errors, form_text
from gateway.web.render import lang_of, see_other, session_of
from teilhabe_kit.localtime import today

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
INBOX = "/beratungsstelle/mailberatung"
BOXES = ("new", "mine", "released", "overdue")
ACTIONS = {"send": "answer_sent", "draft": "draft_saved", "release": "draft_released"}


async def _names(request: Request, place: Workspace) -> dict[str, str]:
    team = await get_json(request, "counseling", f"{place.api}/counselors")
    return {c["counselor_id"]: c["display_name"] for c in team}


@router.get(INBOX, response_class=HTMLResponse)
async def inbox(request: Request, box: str = "mine") -> Response:
    place = await workspace(request)
    shown = box if box in BOXES else "mine"
    threads, names = await asyncio.gather(
        get_json(request, "counseling", f"{place.api}/mail-threads", params={"box": shown}),
        _names(request, place),
    )
    return mail_page(
        request,
        "counseling/mail_inbox.html",
        place,
        title=mail_text(request, "inbox_title"),
        boxes=BOXES,
        box=shown,
        threads=threads,
        names=names,
    )


def _may_take(thread: dict, place: Workspace, openness: str) -> bool:
    """As counseling decides: admins, a thread of nobody, any under `open`, a released one under `released`."""
    return (
        place.admin
        or thread["assignee_id"] is None
        or openness == "open"
        or (openness == "released" and thread["status"] == "released")
    )


async def _thread_page(request: Request, place: Workspace, thread_id: str, status_code: int = 200, **context):
    api = f"{place.api}/mail-threads/{thread_id}"
    thread, previous, names, rules = await asyncio.gather(
        get_json(request, "counseling", api),
        get_json(request, "counseling", f"{api}/previous"),
        _names(request, place),
        get_json(request, "counseling", f"{place.api}/mail-settings"),
    )
    client = await get_json(request, "counseling", f"{place.api}/clients/{thread['client_id']}")
    me = session_of(request).get("account_id")
    mine = thread["assignee_id"] == me and thread["status"] != "released"
    may_take = not mine and _may_take(thread, place, rules["openness"])
    for earlier in previous:
        earlier["readable"] = earlier["assignee_id"] == me or _may_take(earlier, place, rules["openness"])
    draft = thread.get("draft") or {}
    values = {"answer": draft.get("text") or "", "record_on": today().isoformat()} | context.pop("values", {})
    return mail_page(
        request,
        "counseling/mail_thread.html",
        place,
        status_code=status_code,
        title=thread["subject"] or mail_text(request, "inbox_title"),
        thread=thread,
        previous=previous,
        names=names,
        client_name=client.get("pseudonym"),
        viewer="counselor",
        files_base=f"{INBOX}/{thread_id}/anhaenge/",
        mine=thread["assignee_id"] == me,
        may_take=may_take,
        topics=labels(lang_of(request))["topics"],
        values=values,
        errors=context.pop("errors", {}),
        **context,
    )


@router.get(INBOX + "/{thread_id}", response_class=HTMLResponse)
async def thread(request: Request, thread_id: str) -> Response:
    return await _thread_page(request, await workspace(request), thread_id)


@router.post(INBOX + "/{thread_id}", response_class=HTMLResponse)
async def answer(request: Request, thread_id: str) -> Response:
    """ "Antwort senden", "Entwurf speichern" or "Entwurf speichern und freigeben" (the button pressed)."""
    place = await workspace(request)
    form = await request.form()
    action = str(form.get("action", "send"))
    text = form_text(form, "answer")
    file, errors = await attachment_of(form) if action == "send" else (None, {})
    if action not in ACTIONS or not text:
        errors = {"answer": mail_text(request, "enter_text")} | errors
    if errors:
        return await _thread_page(request, place, thread_id, 422, errors=errors, values={"answer": text})
    api = f"{place.api}/mail-threads/{thread_id}"
    if action == "send":
        response = await call(request, "counseling", "POST", f"{api}/messages", json={"text": text})
    else:
        body = {"text": text, "release": action == "release"}
        response = await call(request, "counseling", "PUT", f"{api}/draft", json=body)
    if response.status_code >= 300:
        errors = field_errors(response, {"form": "answer", "text": "answer"})
        return await _thread_page(request, place, thread_id, 422, errors=errors, values={"answer": text})
    notify(request, ACTIONS[action])
    if file is not None and await upload(request, api, file):
        notify(request, "attachment_refused")
    return see_other(f"{INBOX}/{thread_id}")


@router.post(INBOX + "/{thread_id}/uebernehmen", response_class=HTMLResponse)
async def take_over(request: Request, thread_id: str) -> Response:
    place = await workspace(request)
    response = await call(request, "counseling", "POST", f"{place.api}/mail-threads/{thread_id}/takeover")
    if response.status_code >= 300:
        errors = field_errors(response, {"form": "take-over"})
        return await _thread_page(request, place, thread_id, response.status_code, errors=errors)
    notify(request, "taken_over")
    return see_other(f"{INBOX}/{thread_id}")


@router.get(INBOX + "/{thread_id}/anhaenge/{attachment_id}")
async def attachment(request: Request, thread_id: str, attachment_id: str) -> Response:
    place = await workspace(request)
    return await download(request, f"{place.api}/mail-threads/{thread_id}", attachment_id)


@router.post(INBOX + "/{thread_id}/daten/profil", response_class=HTMLResponse)
async def into_profile(request: Request, thread_id: str) -> Response:
    """ "In Profil übernehmen": the request's personal data into the person's master data."""
    place = await workspace(request)
    path = f"{place.api}/mail-threads/{thread_id}/personal-data/profile"
    response = await call(request, "counseling", "POST", path)
    if response.status_code >= 300:
        errors = field_errors(response, {"form": "into-profile"})
        return await _thread_page(request, place, thread_id, response.status_code, errors=errors)
    notify(request, "into_profile_done")
    return see_other(f"{INBOX}/{thread_id}")


RECORD_FIELDS = {"occurred_on": "record_on", "minutes": "record_minutes", "subject": "record_topic"}


@router.post(INBOX + "/{thread_id}/daten/monitoring", response_class=HTMLResponse)
async def into_record(request: Request, thread_id: str) -> Response:
    """ "In Monitoring übernehmen": a case record of the thread with the request's personal data."""
    place = await workspace(request)
    form = await request.form()
    values = {name: form_text(form, name) for name in RECORD_FIELDS.values()}
    body = {api: values[name] or None for api, name in RECORD_FIELDS.items()}
    path = f"{place.api}/mail-threads/{thread_id}/personal-data/record"
    response = await call(request, "counseling", "POST", path, json=body)
    if response.status_code >= 300:
        errors = field_errors(response, RECORD_FIELDS | {"form": "record_on", "fields": "record_topic"})
        return await _thread_page(request, place, thread_id, 422, errors=errors, values=values)
    notify(request, "into_record_done")
    return see_other(f"{INBOX}/{thread_id}")
