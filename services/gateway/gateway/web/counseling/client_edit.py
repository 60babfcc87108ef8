"""Changing a client on their page: master data and the centre's filter criteria, the primary
counselor (set, change or remove), and — for centre admins — a direct message to the client over
their registered channel. Each form posts to counseling's API and comes back to the page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from gateway.web.api import call
from gateway.web.counseling import kt, workspace
from gateway.web.counseling.client_page import PAGE, client_page, go_back
from gateway.web.forms import csrf_protect, field_errors

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
MASTER_FIELDS = {"gender": "gender", "age_group": "age_group", "postcode": "postcode", "household": "household"}
MASTER_FIELDS |= {"md_note": "note"}
"""Form field → master-data key (the remark is `md_note`: the page's note form has `note`)."""


def _master_data(form) -> dict:
    data: dict = {key: str(form.get(name, "")).strip() for name, key in MASTER_FIELDS.items()}
    data = {k: v for k, v in data.items() if v}
    languages = [code.strip().lower() for code in str(form.get("languages", "")).split(",") if code.strip()]
    if languages:
        data["languages"] = languages
    return data


@router.post(f"{PAGE}/stammdaten")
async def master_data(request: Request, client_id: str) -> Response:
    place = await workspace(request)
    form = await request.form()
    body = {"master_data": _master_data(form), "filters": [str(f) for f in form.getlist("filters")]}
    response = await call(request, "counseling", "PUT", f"{place.api}/clients/{client_id}/master-data", json=body)
    if response.status_code >= 300:
        names = {f"master_data.{key}": name for name, key in MASTER_FIELDS.items()}
        errors = field_errors(response, names | {"form": "gender", "master_data": "languages"})
        values = {k: str(form.get(k, "")) for k in (*MASTER_FIELDS, "languages")}
        return await client_page(request, place, client_id, 422, errors=errors, md_values=values)
    return go_back(request, client_id, "master_data_saved", "#data-title")


@router.post(f"{PAGE}/stammberatung")
async def primary(request: Request, client_id: str) -> Response:
    place = await workspace(request)
    chosen = str((await request.form()).get("counselor_id", "")).strip() or None
    response = await call(
        request,
        "counseling",
        "PUT",
        f"{place.api}/clients/{client_id}/primary-counselor",
        json={"counselor_id": chosen},
    )
    if response.status_code >= 300:
        errors = field_errors(response, {"form": "counselor_id"})
        return await client_page(request, place, client_id, 422, errors=errors)
    return go_back(request, client_id, "primary_saved", "#data-title")


@router.post(f"{PAGE}/nachricht")
async def direct_message(request: Request, client_id: str) -> Response:
    place = await workspace(request, admin=True)
    form = await request.form()
    values = {"message_subject": str(form.get("message_subject", "")).strip(), "message_body": ""}
    values["message_body"] = str(form.get("message_body", "")).strip()
    errors = {}
    if not values["message_subject"]:
        errors["message_subject"] = kt(request, "enter_message_subject")
    if not values["message_body"]:
        errors["message_body"] = kt(request, "enter_message_body")
    if not errors:
        body = {"subject": values["message_subject"], "body": values["message_body"]}
        response = await call(request, "counseling", "POST", f"{place.api}/clients/{client_id}/messages", json=body)
        if response.status_code < 300:
            return go_back(request, client_id, "message_sent", "#messages-title")
        errors = field_errors(response, {"subject": "message_subject", "body": "message_body", "form": "message_body"})
    return await client_page(request, place, client_id, 422, errors=errors, values=values)
