"""Counseling chats on top of messaging: the client's chat (/mein-beratungskonto/chats), the team's
queue and chats (/beratungsstelle/chats) and the anonymous walk-in chat of a centre (public:
/beratung/{centre}/sofortchat, then /sofortchat/{chat}). One chat page for all three; new messages
and queue changes arrive over SSE (`static/chat.js` reloads the server-rendered part and announces
them in a live region); without JavaScript the page is reloaded by hand.

The walk-in guest's credential stays in the gateway's server-side session, never in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.upstream import Upstreams
from gateway.web.api import call
from gateway.web.counseling import Workspace, counseling_page, workspace, workspace_page
from gateway.web.counseling.chat_texts import CHAT
from gateway.web.forms import csrf_protect, field_errors, form_text
from gateway.web.render import lang_of, require_user, see_other, session_of, t
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
MESSAGING = "/api/v1/messaging"
CHATS = f"{MESSAGING}/counseling-chats"
CLIENT_HOME, TEAM_HOME = "/mein-beratungskonto/chats", "/beratungsstelle/chats"
EXPECTED = {200, 201, 401, 404, 409, 422}


def ct(request: Request, key: str, **values: object) -> str:
    return CHAT.text(lang_of(request), key, **values)


@dataclass(frozen=True)
class Seat:
    """How this browser reaches one chat: the web path, the event stream, a walk-in guest's credential
    (else the signed-in session's token) and the workspace of a counselor."""

    chat_id: str
    base: str
    events: str
    guest_token: str | None = None
    place: Workspace | None = None


async def _api(request: Request, seat: Seat, method: str, path: str, json: Any = None) -> httpx.Response:
    guest = seat.guest_token is not None
    response = await call(
        request,
        "messaging",
        method,
        path,
        json=json,
        anonymous=guest,
        headers={"X-Walk-In-Token": seat.guest_token} if seat.guest_token else None,
        expect=EXPECTED,
    )
    if guest and response.status_code == 401:
        _forget(request, seat.chat_id)
        raise Problem(ct(request, "walk_in_expired"), status=404, title="Not found")
    if response.status_code == 404:
        raise Problem(t(request, "not_found"), status=404, title="Not found")
    return response


def _page(request: Request, template: str, seat_or_place, *, status_code: int = 200, **context) -> HTMLResponse:
    place = seat_or_place.place if isinstance(seat_or_place, Seat) else seat_or_place
    if isinstance(seat_or_place, Seat):
        context["seat"] = seat_or_place
    if place is None:
        return counseling_page(request, template, status_code, CHAT, **context)
    return workspace_page(request, template, place, status_code, catalogue=CHAT, **context)


async def _chat_context(request: Request, seat: Seat) -> dict:
    chat = (await _api(request, seat, "GET", f"{CHATS}/{seat.chat_id}")).json()
    thread = (await _api(request, seat, "GET", f"{CHATS}/{seat.chat_id}/messages")).json()
    if thread["messages"]:
        up_to = {"up_to_seq": thread["messages"][-1]["seq"]}
        await _api(request, seat, "POST", f"{CHATS}/{seat.chat_id}/read", json=up_to)
    room = await call(
        request,
        "messaging",
        "GET",
        f"{CHATS}/{seat.chat_id}/video-call",
        anonymous=seat.guest_token is not None,
        headers={"X-Walk-In-Token": seat.guest_token} if seat.guest_token else None,
        expect={200, 404},
    )
    return {"chat": chat, "thread": thread, "video": room.json() if room.status_code == 200 else None}


async def _chat_page(request: Request, seat: Seat, *, status_code: int = 200, **extra) -> HTMLResponse:
    context = await _chat_context(request, seat)
    title = context["chat"]["title"] or ct(request, "chat_title")
    return _page(request, "counseling/chat.html", seat, status_code=status_code, title=title, **context, **extra)


async def _fragment(request: Request, seat: Seat) -> HTMLResponse:
    return _page(request, "counseling/_chat_thread.html", seat, **await _chat_context(request, seat))


async def _post(request: Request, seat: Seat) -> Response:
    form = await request.form()
    values = {"text": form_text(form, "text")}
    errors = {"text": ct(request, "enter_message")} if not values["text"] else {}
    if not errors:
        response = await _api(request, seat, "POST", f"{CHATS}/{seat.chat_id}/messages", json=values)
        if response.status_code == 201:
            return see_other(f"{seat.base}#message-form")
        if response.status_code == 409:
            session_of(request).set("chat_notice", "chat_ended")
            return see_other(seat.base)
        errors = field_errors(response)
    return await _chat_page(request, seat, status_code=422, errors=errors, values=values)


async def _end(request: Request, seat: Seat) -> Response:
    await _api(request, seat, "POST", f"{CHATS}/{seat.chat_id}/end")
    return see_other(seat.base)


def _notice(request: Request) -> dict[str, Any]:
    key = session_of(request).pop("chat_notice")
    return {"notice": ct(request, key)} if key else {}


# --- the client ---------------------------------------------------------------------------------


def _client_seat(request: Request, chat_id: str) -> Seat:
    require_user(request, "client")
    return Seat(chat_id, f"{CLIENT_HOME}/{chat_id}", f"{CHATS}/{chat_id}/events")


@router.get(CLIENT_HOME, response_class=HTMLResponse)
async def client_chats(request: Request) -> Response:
    require_user(request, "client")
    items = (await call(request, "messaging", "GET", CHATS)).json()["items"]
    return _page(request, "counseling/chats_client.html", None, title=ct(request, "my_chats"), items=items)


@router.post(CLIENT_HOME)
async def client_start(request: Request) -> Response:
    require_user(request, "client")
    response = await call(request, "messaging", "POST", CHATS)
    return see_other(f"{CLIENT_HOME}/{response.json()['id']}")


@router.get(CLIENT_HOME + "/{chat_id}", response_class=HTMLResponse)
async def client_chat(request: Request, chat_id: str) -> Response:
    return await _chat_page(request, _client_seat(request, chat_id), **_notice(request))


@router.get(CLIENT_HOME + "/{chat_id}/verlauf", response_class=HTMLResponse)
async def client_fragment(request: Request, chat_id: str) -> Response:
    return await _fragment(request, _client_seat(request, chat_id))


@router.post(CLIENT_HOME + "/{chat_id}", response_class=HTMLResponse)
async def client_post(request: Request, chat_id: str) -> Response:
    return await _post(request, _client_seat(request, chat_id))


@router.post(CLIENT_HOME + "/{chat_id}/beenden")
async def client_end(request: Request, chat_id: str) -> Response:
    return await _end(request, _client_seat(request, chat_id))


# --- the team -----------------------------------------------------------------------------------


async def _team_seat(request: Request, chat_id: str) -> Seat:
    place = await workspace(request)
    return Seat(chat_id, f"{TEAM_HOME}/{chat_id}", f"{CHATS}/{chat_id}/events", place=place)


async def _queue_context(request: Request, place: Workspace) -> dict:
    queue = (await call(request, "messaging", "GET", f"{MESSAGING}/centres/{place.centre_id}/chat-queue")).json()
    mine = (await call(request, "messaging", "GET", CHATS)).json()["items"]
    return {"queue": queue["items"], "mine": [c for c in mine if c["state"] != "ended"]}


@router.get(TEAM_HOME, response_class=HTMLResponse)
async def team_chats(request: Request) -> Response:
    place = await workspace(request)
    events = f"{MESSAGING}/centres/{place.centre_id}/chat-queue/events"
    context = await _queue_context(request, place)
    return _page(
        request,
        "counseling/chats_queue.html",
        place,
        title=ct(request, "queue_title"),
        events=events,
        **context,
        **_notice(request),
    )


@router.get(TEAM_HOME + "/warteschlange", response_class=HTMLResponse)
async def team_queue_fragment(request: Request) -> Response:
    place = await workspace(request)
    return _page(request, "counseling/_chat_queue.html", place, **await _queue_context(request, place))


@router.post(TEAM_HOME + "/{chat_id}/annehmen")
async def team_accept(request: Request, chat_id: str) -> Response:
    seat = await _team_seat(request, chat_id)
    response = await _api(request, seat, "POST", f"{CHATS}/{chat_id}/accept")
    if response.status_code == 409:
        session_of(request).set("chat_notice", "already_taken")
        return see_other(TEAM_HOME)
    return see_other(seat.base)


@router.get(TEAM_HOME + "/{chat_id}", response_class=HTMLResponse)
async def team_chat(request: Request, chat_id: str) -> Response:
    return await _chat_page(request, await _team_seat(request, chat_id), **_notice(request))


@router.get(TEAM_HOME + "/{chat_id}/verlauf", response_class=HTMLResponse)
async def team_fragment(request: Request, chat_id: str) -> Response:
    return await _fragment(request, await _team_seat(request, chat_id))


@router.post(TEAM_HOME + "/{chat_id}", response_class=HTMLResponse)
async def team_post(request: Request, chat_id: str) -> Response:
    return await _post(request, await _team_seat(request, chat_id))


@router.post(TEAM_HOME + "/{chat_id}/beenden")
async def team_end(request: Request, chat_id: str) -> Response:
    return await _end(request, await _team_seat(request, chat_id))


@router.post(TEAM_HOME + "/{chat_id}/video")
async def team_video(request: Request, chat_id: str) -> Response:
    seat = await _team_seat(request, chat_id)
    response = await _api(request, seat, "POST", f"{CHATS}/{chat_id}/video-call", json={})
    if response.status_code == 409:
        session_of(request).set("chat_notice", "chat_ended")
    return see_other(f"{seat.base}#video-title")


# --- the anonymous walk-in chat -------------------------------------------------------------------


def _forget(request: Request, chat_id: str) -> None:
    session = session_of(request)
    held = dict(session.get("walk_in") or {})
    if held.pop(chat_id, None) is not None:
        session.set("walk_in", held)


def _guest_seat(request: Request, chat_id: str) -> Seat:
    token = (session_of(request).get("walk_in") or {}).get(chat_id)
    if not token:
        raise Problem(ct(request, "walk_in_expired"), status=404, title="Not found")
    return Seat(chat_id, f"/sofortchat/{chat_id}", f"/sofortchat/{chat_id}/ereignisse", guest_token=token)


@router.get("/beratung/{centre_id}/sofortchat", response_class=HTMLResponse)
async def walk_in_start_page(request: Request, centre_id: str) -> Response:
    return _page(request, "counseling/walk_in.html", None, title=ct(request, "walk_in_title"), centre_id=centre_id)


@router.post("/beratung/{centre_id}/sofortchat", response_class=HTMLResponse)
async def walk_in_start(request: Request, centre_id: str) -> Response:
    response = await call(
        request,
        "messaging",
        "POST",
        f"{MESSAGING}/centres/{centre_id}/walk-in-chats",
        anonymous=True,
        expect={201, 429},
    )
    if response.status_code == 429:
        return _page(
            request,
            "counseling/walk_in.html",
            None,
            status_code=429,
            title=ct(request, "walk_in_title"),
            centre_id=centre_id,
            errors={"form": ct(request, "too_many")},
        )
    started = response.json()
    session = session_of(request)
    session.set("walk_in", dict(session.get("walk_in") or {}) | {started["id"]: started["token"]})
    return see_other(f"/sofortchat/{started['id']}")


@router.get("/sofortchat/{chat_id}", response_class=HTMLResponse)
async def walk_in_chat(request: Request, chat_id: str) -> Response:
    return await _chat_page(request, _guest_seat(request, chat_id), **_notice(request))


@router.get("/sofortchat/{chat_id}/verlauf", response_class=HTMLResponse)
async def walk_in_fragment(request: Request, chat_id: str) -> Response:
    return await _fragment(request, _guest_seat(request, chat_id))


@router.post("/sofortchat/{chat_id}", response_class=HTMLResponse)
async def walk_in_post(request: Request, chat_id: str) -> Response:
    return await _post(request, _guest_seat(request, chat_id))


@router.post("/sofortchat/{chat_id}/beenden")
async def walk_in_end(request: Request, chat_id: str) -> Response:
    return await _end(request, _guest_seat(request, chat_id))


@router.get("/sofortchat/{chat_id}/ereignisse")
async def walk_in_events(request: Request, chat_id: str) -> Response:
    """The guest's chat stream, relayed from messaging with the credential from the session."""
    seat = _guest_seat(request, chat_id)
    headers = {"accept": "text/event-stream", "x-walk-in-token": seat.guest_token or ""}
    if last := request.headers.get("Last-Event-ID"):
        headers["last-event-id"] = last
    upstreams: Upstreams = request.app.state.upstreams
    return await upstreams.forward(
        request, "messaging", f"{CHATS}/{chat_id}/events", token=None, headers=headers, from_client=False
    )
