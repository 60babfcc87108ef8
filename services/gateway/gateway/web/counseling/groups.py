"""Groups of clients: name and description (the members see both), members added and removed by
the centre's counselors and admins, deleted by their creator or an admin."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.counseling import Workspace, kt, workspace, workspace_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
LIST = "/beratungsstelle/gruppen"


async def _list_page(request: Request, place: Workspace, status_code: int = 200, **context) -> HTMLResponse:
    groups = await get_json(request, "counseling", f"{place.api}/groups")
    context = {"errors": {}, "values": {}} | context
    return workspace_page(
        request,
        "counseling/groups.html",
        place,
        status_code=status_code,
        title=kt(request, "groups"),
        groups=groups,
        **context,
    )


@router.get(LIST, response_class=HTMLResponse)
async def groups(request: Request) -> Response:
    return await _list_page(request, await workspace(request))


@router.post(LIST, response_class=HTMLResponse)
async def create(request: Request) -> Response:
    place = await workspace(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("name", "description")}
    if not values["name"]:
        return await _list_page(request, place, 422, errors={"name": kt(request, "enter_group_name")}, values=values)
    body = {"name": values["name"], "description": values["description"] or None}
    response = await call(request, "counseling", "POST", f"{place.api}/groups", json=body)
    if response.status_code >= 300:
        return await _list_page(request, place, 422, errors=field_errors(response, {"form": "name"}), values=values)
    session_of(request).set("notice", "group_created")
    return see_other(f"{LIST}/{response.json()['group_id']}")


async def _group_page(request: Request, place: Workspace, group_id: str, status_code: int = 200, **context):
    group, members, clients = await asyncio.gather(
        get_json(request, "counseling", f"{place.api}/groups/{group_id}"),
        get_json(request, "counseling", f"{place.api}/clients", params={"group_id": group_id, "page_size": 200}),
        get_json(request, "counseling", f"{place.api}/clients", params={"status": "active", "page_size": 200}),
    )
    inside = {c["client_id"] for c in members["items"]}
    return workspace_page(
        request,
        "counseling/group.html",
        place,
        status_code=status_code,
        title=group["name"],
        group=group,
        members=members["items"],
        others=[c for c in clients["items"] if c["client_id"] not in inside],
        may_delete=place.admin or group["created_by"] == session_of(request).get("account_id"),
        errors=context.pop("errors", {}),
        **context,
    )


@router.get(f"{LIST}/{{group_id}}", response_class=HTMLResponse)
async def group(request: Request, group_id: str) -> Response:
    return await _group_page(request, await workspace(request), group_id)


@router.post(f"{LIST}/{{group_id}}/mitglieder", response_class=HTMLResponse)
async def add_member(request: Request, group_id: str) -> Response:
    place = await workspace(request)
    client_id = str((await request.form()).get("client_id", ""))
    if not client_id:
        return await _group_page(request, place, group_id, 422, errors={"client_id": kt(request, "choose_client")})
    response = await call(
        request, "counseling", "POST", f"{place.api}/groups/{group_id}/members", json={"client_id": client_id}
    )
    if response.status_code >= 300:
        errors = field_errors(response, {"form": "client_id"})
        return await _group_page(request, place, group_id, 422, errors=errors)
    session_of(request).set("notice", "member_added")
    return see_other(f"{LIST}/{group_id}")


@router.post(f"{LIST}/{{group_id}}/mitglieder/{{client_id}}/entfernen")
async def remove_member(request: Request, group_id: str, client_id: str) -> Response:
    place = await workspace(request)
    await call(request, "counseling", "DELETE", f"{place.api}/groups/{group_id}/members/{client_id}")
    session_of(request).set("notice", "member_removed")
    return see_other(f"{LIST}/{group_id}")


@router.post(f"{LIST}/{{group_id}}/loeschen")
async def delete(request: Request, group_id: str) -> Response:
    place = await workspace(request)
    await call(request, "counseling", "DELETE", f"{place.api}/groups/{group_id}")
    session_of(request).set("notice", "group_deleted")
    return see_other(LIST)
