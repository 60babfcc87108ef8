"""Notifications (inbox, unread badge) and chat ("Chat öffnen") on top of messaging."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from gateway.web import chat_context
from gateway.web.api import call, get_json
from gateway.web.forms import csrf_protect, field_errors
from gateway.web.render import page, require_user, see_other, session_of, t
from teilhabe_kit.problems import Problem

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

NOTIFICATIONS = "/api/v1/messaging/notifications"
CONVERSATIONS = "/api/v1/messaging/conversations"
MAILED_LINKS = ("/einladung", "/passwort-neu")
"""Notice targets that work only with the one-time token in the e-mail or SMS (not in the inbox)."""


@router.get("/benachrichtigungen", response_class=HTMLResponse)
async def inbox(request: Request) -> Response:
    require_user(request)
    found = await get_json(request, "messaging", NOTIFICATIONS)
    items = [n | {"mailed": n.get("link") in MAILED_LINKS} for n in found["items"]]
    return page(request, "messages/inbox.html", title=t(request, "notifications"), items=items)


@router.post("/benachrichtigungen/gelesen")
async def read_all(request: Request) -> Response:
    require_user(request)
    await call(request, "messaging", "POST", f"{NOTIFICATIONS}/read")
    return see_other("/benachrichtigungen")


@router.get("/benachrichtigungen/anzahl", response_class=HTMLResponse)
async def unread_badge(request: Request) -> Response:
    """htmx: the unread count for the badge (empty when none or when messaging is away)."""
    if not session_of(request).signed_in:
        return HTMLResponse("")
    try:
        unread = (await get_json(request, "messaging", f"{NOTIFICATIONS}/unread-count"))["unread"]
    except Problem:
        return HTMLResponse("")
    label = t(request, "unread")
    return HTMLResponse(f'{unread}<span class="visually-hidden"> {label}</span>' if unread else "")


@router.get("/nachrichten", response_class=HTMLResponse)
async def conversations(request: Request) -> Response:
    require_user(request)
    found = await get_json(request, "messaging", CONVERSATIONS)
    contexts = await asyncio.gather(
        *(chat_context.context(request, c.get("order_id"), c.get("offer_id"), c["as_person"]) for c in found["items"])
    )
    items = [c | {"context": ctx} for c, ctx in zip(found["items"], contexts, strict=True)]
    return page(request, "messages/list.html", title=t(request, "chat"), items=items)


@router.post("/nachrichten/neu")
async def open_chat(request: Request) -> Response:
    """„Chat öffnen“ on an offer: the conversation of this order and offer (created once)."""
    require_user(request)
    form = await request.form()
    body = {"order_id": str(form.get("order", "")), "offer_id": str(form.get("offer", ""))}
    response = await call(request, "messaging", "POST", CONVERSATIONS, json=body)
    if response.status_code >= 300:
        session = session_of(request)
        session.set("notice", "action_failed")
        back = "/assistenz/einsaetze" if "assistant" in session.get("roles", []) else f"/auftraege/{body['order_id']}"
        return see_other(back)
    return see_other(f"/nachrichten/{response.json()['id']}")


async def _thread(request: Request, conversation_id: str) -> dict:
    thread = await get_json(request, "messaging", f"{CONVERSATIONS}/{conversation_id}/messages")
    if thread["messages"]:
        await call(
            request,
            "messaging",
            "POST",
            f"{CONVERSATIONS}/{conversation_id}/read",
            json={"up_to_seq": thread["messages"][-1]["seq"]},
        )
    return thread


@router.get("/nachrichten/{conversation_id}", response_class=HTMLResponse)
async def chat(request: Request, conversation_id: str) -> Response:
    require_user(request)
    return await _chat_page(request, conversation_id, await _thread(request, conversation_id))


async def _chat_page(request: Request, conversation_id: str, thread: dict, status_code: int = 200, **extra) -> Response:
    """The chat with its context (who, which order) and the latest video room, if any."""
    about = await chat_context.context(request, thread.get("order_id"), thread.get("offer_id"), thread["as_person"])
    room = await call(request, "messaging", "GET", f"{CONVERSATIONS}/{conversation_id}/video-room", expect={200, 404})
    return page(
        request,
        "messages/chat.html",
        status_code=status_code,
        title=t(request, "chat_with", name=about["name"]) if about else t(request, "chat"),
        thread=thread,
        conversation_id=conversation_id,
        about=about,
        room=room.json() if room.status_code == 200 else None,
        **extra,
    )


@router.post("/nachrichten/{conversation_id}/video")
async def start_video(request: Request, conversation_id: str) -> Response:
    """„Video-Anruf starten“: a video room for the chat; a message tells the other side where it is."""
    require_user(request)
    created = await call(request, "messaging", "POST", f"{CONVERSATIONS}/{conversation_id}/video-room", json={})
    if created.status_code < 300:
        await call(
            request,
            "messaging",
            "POST",
            f"{CONVERSATIONS}/{conversation_id}/messages",
            json={"text": t(request, "video_message")},
        )
    session_of(request).set("notice", "video_started" if created.status_code < 300 else "action_failed")
    return see_other(f"/nachrichten/{conversation_id}")


@router.get("/nachrichten/{conversation_id}/verlauf", response_class=HTMLResponse)
async def chat_messages(request: Request, conversation_id: str) -> Response:
    """htmx: the message list alone (refreshed while the chat is open)."""
    require_user(request)
    thread = await _thread(request, conversation_id)
    return page(request, "messages/_messages.html", thread=thread, conversation_id=conversation_id)


@router.post("/nachrichten/{conversation_id}", response_class=HTMLResponse)
async def post(request: Request, conversation_id: str) -> Response:
    require_user(request)
    form = await request.form()
    text = str(form.get("text", "")).strip()
    errors = {}
    if not text:
        errors["text"] = t(request, "enter_message")
    else:
        response = await call(
            request, "messaging", "POST", f"{CONVERSATIONS}/{conversation_id}/messages", json={"text": text}
        )
        if response.status_code < 300:
            return see_other(f"/nachrichten/{conversation_id}#message-form")
        errors = field_errors(response)
    thread = await _thread(request, conversation_id)
    return await _chat_page(request, conversation_id, thread, status_code=422, errors=errors, values={"text": text})
