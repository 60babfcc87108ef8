"""The counselor's own profile (Mein Profil): internal contact data for colleagues and admins,
external data for clients (user name — maybe a pseudonym —, description, languages) and the photo
(upload PNG/JPEG, delete). Counselors and centre admins of the centre in their token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from gateway.web.api import call
from gateway.web.counseling import Workspace, kt, workspace, workspace_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
PAGE = "/beratungsstelle/profil"
INTERNAL = ("salutation", "title", "first_name", "last_name", "email", "phone", "postcode")
PASSED_ON = ("content-type", "content-disposition", "x-content-type-options", "content-security-policy")


async def _profile(request: Request, place: Workspace) -> dict | None:
    response = await call(request, "counseling", "GET", f"{place.api}/counselors/me", expect={200, 404})
    return response.json() if response.status_code == 200 else None


def _values(profile: dict | None) -> dict[str, str]:
    if profile is None:
        return {}
    values = {f"i_{k}": str(v) for k, v in (profile.get("internal") or {}).items() if v is not None}
    values |= {"display_name": profile["display_name"], "description": profile.get("description") or ""}
    return values | {"languages": ", ".join(profile.get("languages", []))}


async def _page(request: Request, place: Workspace, status_code: int = 200, **context) -> HTMLResponse:
    profile = await _profile(request, place)
    context = {"errors": {}, "values": _values(profile)} | context
    return workspace_page(
        request,
        "counseling/profile.html",
        place,
        status_code=status_code,
        title=kt(request, "my_profile"),
        profile=profile,
        salutations=("frau", "herr", "neutral"),
        internal_fields=INTERNAL[1:],
        **context,
    )


@router.get(PAGE, response_class=HTMLResponse)
async def profile(request: Request) -> Response:
    return await _page(request, await workspace(request))


@router.post(PAGE, response_class=HTMLResponse)
async def save(request: Request) -> Response:
    place = await workspace(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("display_name", "description", "languages")}
    values |= {f"i_{k}": str(form.get(f"i_{k}", "")).strip() for k in INTERNAL}
    if not values["display_name"]:
        return await _page(
            request, place, 422, errors={"display_name": kt(request, "enter_display_name")}, values=values
        )
    body = {
        "display_name": values["display_name"],
        "description": values["description"] or None,
        "languages": [c.strip().lower() for c in values["languages"].split(",") if c.strip()],
        "internal": {k: values[f"i_{k}"] for k in INTERNAL if values[f"i_{k}"]},
    }
    response = await call(request, "counseling", "PUT", f"{place.api}/counselors/me", json=body)
    if response.status_code >= 300:
        names = {f"internal.{k}": f"i_{k}" for k in INTERNAL} | {"internal": "i_first_name", "form": "display_name"}
        return await _page(request, place, 422, errors=field_errors(response, names), values=values)
    session_of(request).set("notice", "profile_saved")
    return see_other(PAGE)


@router.post(f"{PAGE}/bild", response_class=HTMLResponse)
async def upload_photo(request: Request) -> Response:
    place = await workspace(request)
    chosen = (await request.form()).get("photo")
    if not isinstance(chosen, UploadFile) or not chosen.filename:
        return await _page(request, place, 422, errors={"photo": kt(request, "choose_photo")})
    content = await chosen.read(2 * 1024 * 1024 + 1)
    file = (chosen.filename, content, chosen.content_type)
    response = await call(request, "counseling", "PUT", f"{place.api}/counselors/me/photo", files={"file": file})
    if response.status_code >= 300:
        return await _page(request, place, 422, errors=field_errors(response, {"file": "photo", "form": "photo"}))
    session_of(request).set("notice", "photo_saved")
    return see_other(PAGE)


@router.post(f"{PAGE}/bild/loeschen")
async def delete_photo(request: Request) -> Response:
    place = await workspace(request)
    await call(request, "counseling", "DELETE", f"{place.api}/counselors/me/photo")
    session_of(request).set("notice", "photo_deleted")
    return see_other(PAGE)


@router.get(f"{PAGE}/bild")
async def photo(request: Request) -> Response:
    place = await workspace(request)
    principal_id = session_of(request).get("account_id")
    response = await call(request, "counseling", "GET", f"{place.api}/counselors/{principal_id}/photo", expect={200})
    headers = {k: v for k, v in response.headers.items() if k.lower() in PASSED_ON}
    return Response(response.content, headers=headers)
