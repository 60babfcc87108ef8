"""The client's (Ratsuchende) mail counseling: the own requests, a new request (subject and text;
the subject never changes), one thread with the answers and a follow-up. Counseling decides who
reads what; these pages only show it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.centres import signed_in_principal
from gateway.web.counseling.mail_files import attachment_of, download, upload
from gateway.web.counseling.mail_pages import mail_page, mail_text, mail_threads, notify
from gateway.web.forms import csrf_protect, field_errors, form_text
from gateway.web.render import require_user, see_other

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
REQUESTS = "/mein-beratungskonto/anfragen"
GENDERS = ("female", "male", "diverse")
AGE_GROUPS = ("under_18", "18_26", "27_44", "45_64", "65_plus")
PERSONAL = ("gender", "age_group", "postcode")
"""The personal data a client may give with a request (counseling's master data fields)."""


async def _threads_api(request: Request) -> str:
    """The signed-in client's centre's mail threads (403 for every other role)."""
    require_user(request, "client")
    return mail_threads((await signed_in_principal(request)).organisation_id or "")


def _missing(request: Request, values: dict[str, str], *names: str) -> dict[str, str]:
    return {name: mail_text(request, f"enter_{name}") for name in names if not values.get(name)}


@router.get(REQUESTS, response_class=HTMLResponse)
async def requests(request: Request) -> Response:
    threads = await get_json(request, "counseling", await _threads_api(request))
    return mail_page(request, "counseling/mail_requests.html", title=mail_text(request, "my_requests"), threads=threads)


def _new_page(request: Request, status_code: int = 200, errors=None, values=None) -> HTMLResponse:
    return mail_page(
        request,
        "counseling/mail_request_new.html",
        status_code=status_code,
        title=mail_text(request, "new_request"),
        errors=errors or {},
        values=values or {},
        genders=GENDERS,
        age_groups=AGE_GROUPS,
    )


@router.get(f"{REQUESTS}/neu", response_class=HTMLResponse)
async def new_request_form(request: Request) -> Response:
    await _threads_api(request)
    return _new_page(request)


@router.post(f"{REQUESTS}/neu", response_class=HTMLResponse)
async def new_request(request: Request) -> Response:
    api = await _threads_api(request)
    form = await request.form()
    values = {name: form_text(form, name) for name in ("subject", "text", *PERSONAL)}
    file, errors = await attachment_of(form)
    errors = _missing(request, values, "subject", "text") | errors
    if errors:
        return _new_page(request, 422, errors, values)
    body: dict = {"subject": values["subject"], "text": values["text"]}
    given = {name: values[name] for name in PERSONAL if values[name]}
    if given:
        body["personal_data"] = given
    response = await call(request, "counseling", "POST", api, json=body)
    if response.status_code != 201:
        names = {"form": "text"} | {f"personal_data.{name}": name for name in PERSONAL}
        return _new_page(request, 422, field_errors(response, names), values)
    thread_id = response.json()["thread_id"]
    if file is not None:
        await _attach(request, f"{api}/{thread_id}", file)
    notify(request, "request_sent")
    return see_other(f"{REQUESTS}/{thread_id}")


async def _attach(request: Request, thread_api: str, file) -> None:
    """The file checked beforehand; should counseling still refuse it, the message stays sent and the
    page says so."""
    if await upload(request, thread_api, file):
        notify(request, "attachment_refused")


async def _thread_page(request: Request, thread_id: str, status_code: int = 200, errors=None, values=None):
    thread = await get_json(request, "counseling", f"{await _threads_api(request)}/{thread_id}")
    return mail_page(
        request,
        "counseling/mail_request.html",
        status_code=status_code,
        title=thread["subject"] or mail_text(request, "my_requests"),
        thread=thread,
        viewer="client",
        files_base=f"{REQUESTS}/{thread_id}/anhaenge/",
        errors=errors or {},
        values=values or {},
    )


@router.get(REQUESTS + "/{thread_id}", response_class=HTMLResponse)
async def thread(request: Request, thread_id: str) -> Response:
    return await _thread_page(request, thread_id)


@router.post(REQUESTS + "/{thread_id}", response_class=HTMLResponse)
async def follow_up(request: Request, thread_id: str) -> Response:
    api = await _threads_api(request)
    form = await request.form()
    values = {"text": form_text(form, "text")}
    file, errors = await attachment_of(form)
    errors = _missing(request, values, "text") | errors
    if not errors:
        response = await call(request, "counseling", "POST", f"{api}/{thread_id}/messages", json=values)
        if response.status_code == 201:
            notify(request, "message_sent")
            if file is not None:
                await _attach(request, f"{api}/{thread_id}", file)
            return see_other(f"{REQUESTS}/{thread_id}#messages-title")
        errors = field_errors(response, {"form": "text"})
    return await _thread_page(request, thread_id, 422, errors, values)


@router.get(REQUESTS + "/{thread_id}/anhaenge/{attachment_id}")
async def attachment(request: Request, thread_id: str, attachment_id: str) -> Response:
    return await download(request, f"{await _threads_api(request)}/{thread_id}", attachment_id)
