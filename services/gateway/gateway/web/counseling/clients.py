"""Counselors' and centre admins' clients (Ratsuchende): the list with search, filters and the own
bookmark list (Merkliste), opening a client with a pseudonym (the initial password is shown once),
and bookmarking from the list. Counseling answers only for the token's centre."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web.api import call, get_json
from gateway.web.counseling import Workspace, kt, workspace, workspace_page
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import see_other, session_of

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
LIST = "/beratungsstelle/ratsuchende"
STATUSES = ("active", "blocked", "deleted")


def _search(request: Request) -> dict:
    """The search as the form sent it (GET, so that a result can be bookmarked and shared)."""
    query = request.query_params
    return {
        "q": query.get("q", "").strip()[:80],
        "status": query.get("status") if query.get("status") in STATUSES else "",
        "bookmarked": query.get("merkliste") == "1",
        "mine": query.get("meine") == "1",
        "filters": [f for f in query.getlist("filter") if f][:20],
    }


async def _list_page(request: Request, place: Workspace, status_code: int = 200, **context) -> HTMLResponse:
    search = _search(request)
    params: list[tuple[str, str]] = [("page_size", "100")]
    params += [(k, search[k]) for k in ("q", "status") if search[k]]
    params += [("bookmarked", "true")] if search["bookmarked"] else []
    params += [("primary", "me")] if search["mine"] else []
    params += [("filter", f) for f in search["filters"]]
    found, settings = await asyncio.gather(
        get_json(request, "counseling", f"{place.api}/clients", params=params),
        get_json(request, "counseling", f"{place.api}/settings"),
    )
    return workspace_page(
        request,
        "counseling/clients.html",
        place,
        status_code=status_code,
        title=kt(request, "clients"),
        search=search,
        found=found,
        criteria=settings.get("filter_criteria", []),
        statuses=STATUSES,
        searched=any(search[k] for k in search),
        **context,
    )


@router.get(LIST, response_class=HTMLResponse)
async def clients(request: Request) -> Response:
    return await _list_page(request, await workspace(request))


@router.post(LIST, response_class=HTMLResponse)
async def open_client(request: Request) -> Response:
    """A new client: pseudonym (contact optional); the answer shows the initial password once."""
    place = await workspace(request)
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("pseudonym", "email", "phone")}
    body = {"pseudonym": values["pseudonym"]} | {k: values[k] for k in ("email", "phone") if values[k]}
    response = await call(request, "counseling", "POST", f"{place.api}/clients", json=body)
    if response.status_code == 201:
        opened = response.json()
        page = workspace_page(
            request, "counseling/client_opened.html", place, title=kt(request, "client_opened"), opened=opened
        )
        page.headers["Cache-Control"] = "no-store"
        return page
    errors = field_errors(response, {"form": "pseudonym"})
    return await _list_page(request, place, status_code=422, errors=errors, values=values)


@router.post(f"{LIST}/{{client_id}}/merkliste")
async def bookmark(request: Request, client_id: str) -> Response:
    """On or off the own bookmark list; back where the button was (list or client page)."""
    place = await workspace(request)
    form = await request.form()
    on = form.get("on") == "1"
    await call(request, "counseling", "PUT" if on else "DELETE", f"{place.api}/bookmarks/{client_id}")
    session_of(request).set("notice", "bookmarked" if on else "unbookmarked")
    back = str(form.get("back", ""))
    return see_other(back if back.startswith(LIST) else LIST)
