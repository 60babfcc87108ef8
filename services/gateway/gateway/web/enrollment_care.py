"""The guardian's care page of an enrollment: emergency contacts (view and edit) and pick-up persons
with a current photo (add, view and remove). The facility staff of the enrollment sees the same page
without the forms. Contracts decides who may see the sealed details (everyone else: 404)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.care_texts import text
from gateway.web.forms import csrf_protect, field_errors, scan_upload
from gateway.web.render import lang_of, page, require_user, see_other, session_of
from teilhabe_kit.documents import download_headers, file_name

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
API = "/api/v1/contracts/enrollments"
CARERS = ("seeker", "applicant", "guardian", "facility_staff")
APPLICANTS = ("seeker", "applicant", "guardian")
OPEN = {"kandidat", "eingestuft", "angebot", "angenommen", "ratifiziert"}  # after the facility's decision
ROWS = 3
PHONE = re.compile(r"^\+?[0-9 ()/-]{5,30}$")
PARTS = ("name", "phone", "relation")
IMAGES = {"image/jpeg", "image/png"}
NOTICES = {"1": "notice_care", "entfernt": "notice_pickup_removed"}


def ct(request: Request, key: str, **values: object) -> str:
    return text(lang_of(request), key, **values)


async def _page(
    request: Request,
    enrollment_id: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
    ok: str = "",
) -> Response:
    enrollment = await get_json(request, "contracts", f"{API}/{enrollment_id}")
    care = await get_json(request, "contracts", f"{API}/{enrollment_id}/care")
    staff = "facility_staff" in session_of(request).get("roles", [])
    stored = {f"contact_{part}_{i}": c[part] for i, c in enumerate(care["emergency_contacts"]) for part in PARTS}
    lang = lang_of(request)
    return page(
        request,
        "enrollment/care.html",
        status_code=status_code,
        title=ct(request, "care"),
        bt=lambda key, **v: text(lang, key, **v),
        e=enrollment,
        care=care,
        staff=staff,
        editable=not staff and enrollment["status"] in OPEN and not enrollment["restricted"],
        rows=ROWS,
        errors=errors or {},
        values=stored | (values or {}),
        notice=ct(request, NOTICES[ok]) if ok in NOTICES else None,
    )


@router.get("/anmeldungen/{enrollment_id}/betreuung", response_class=HTMLResponse)
async def care_page(request: Request, enrollment_id: str, ok: str = "") -> Response:
    require_user(request, *CARERS)
    return await _page(request, enrollment_id, ok=ok)


def _contacts(request: Request, form) -> tuple[list[dict[str, str]], dict[str, str], dict[str, str]]:
    """The filled rows as contacts, the errors at their fields and the values to show again."""
    values = {
        f"contact_{part}_{i}": str(form.get(f"contact_{part}_{i}", "")).strip()[:100]
        for i in range(ROWS)
        for part in PARTS
    }
    contacts, errors = [], {}
    for i in range(ROWS):
        row = {part: values[f"contact_{part}_{i}"] for part in PARTS}
        if not any(row.values()):
            continue
        empty = [part for part in PARTS if not row[part]]
        if empty:
            errors[f"contact_{empty[0]}_{i}"] = ct(request, "contact_incomplete")
        elif not PHONE.match(row["phone"]):
            errors[f"contact_phone_{i}"] = ct(request, "contact_phone_invalid")
        contacts.append(row)
    if not contacts:
        errors["contact_name_0"] = ct(request, "contact_needed")
    return contacts, errors, values


@router.post("/anmeldungen/{enrollment_id}/notfallkontakte", response_class=HTMLResponse)
async def emergency_contacts(request: Request, enrollment_id: str) -> Response:
    require_user(request, *APPLICANTS)
    contacts, errors, values = _contacts(request, await request.form())
    if not errors:
        response = await call(
            request, "contracts", "PUT", f"{API}/{enrollment_id}/emergency-contacts", json={"contacts": contacts}
        )
        if response.status_code < 300:
            return see_other(f"/anmeldungen/{enrollment_id}/betreuung?ok=1")
        errors = field_errors(
            response,
            {f"contacts.{i}.{part}": f"contact_{part}_{i}" for i in range(ROWS) for part in PARTS}
            | {"contacts": "contact_name_0"},
        )
    return await _page(request, enrollment_id, errors, values, 422)


@router.post("/anmeldungen/{enrollment_id}/abholberechtigte", response_class=HTMLResponse)
async def pickup_person(request: Request, enrollment_id: str) -> Response:
    """A person allowed to pick the child up, with a current photo (JPEG or PNG)."""
    require_user(request, *APPLICANTS)
    form = await request.form()
    name = str(form.get("pickup_name", "")).strip()[:200]
    photo = await scan_upload(form, "photo")
    errors = {}
    if not name:
        errors["pickup_name"] = ct(request, "required_field", field=ct(request, "pickup_name"))
    if isinstance(photo, str):
        errors["photo"] = ct(request, "photo_type" if photo == "file_type" else photo)
    elif photo[2] not in IMAGES:
        errors["photo"] = ct(request, "photo_type")
    if not errors and not isinstance(photo, str):
        response = await call(
            request,
            "contracts",
            "POST",
            f"{API}/{enrollment_id}/pickup-persons",
            files={"photo": photo},
            data={"name": name},
        )
        if response.status_code < 300:
            return see_other(f"/anmeldungen/{enrollment_id}/betreuung?ok=1")
        errors = field_errors(response, {"name": "pickup_name", "form": "photo"})
    return await _page(request, enrollment_id, errors, {"pickup_name": name}, 422)


@router.post("/anmeldungen/{enrollment_id}/abholberechtigte/{person_id}/entfernen", response_class=HTMLResponse)
async def remove_pickup_person(request: Request, enrollment_id: str, person_id: str) -> Response:
    """The person may no longer pick the child up: contracts removes them and deletes the photo."""
    require_user(request, *APPLICANTS)
    response = await call(request, "contracts", "DELETE", f"{API}/{enrollment_id}/pickup-persons/{person_id}")
    if response.status_code < 300:
        return see_other(f"/anmeldungen/{enrollment_id}/betreuung?ok=entfernt")
    return await _page(request, enrollment_id, field_errors(response, {"form": "pickup-persons"}), status_code=409)


@router.get("/anmeldungen/{enrollment_id}/abholberechtigte/{person_id}/foto")
async def pickup_photo(request: Request, enrollment_id: str, person_id: str) -> Response:
    """The photo, only for the guardian and the facility staff of this enrollment (contracts checks)."""
    require_user(request, *CARERS)
    response = await call(
        request, "contracts", "GET", f"{API}/{enrollment_id}/pickup-persons/{person_id}/photo", expect={200}
    )
    media_type = response.headers.get("content-type", "image/png")
    return Response(
        response.content, media_type=media_type, headers=download_headers(file_name(f"foto-{person_id}", media_type))
    )
