"""Server-sent events of counseling chats: a chat's new messages and state (queue place, accepted,
ended, video call) for its members and walk-in guest; a centre's queue for its counselors.

Woken by `chat_signals` (PostgreSQL NOTIFY, any replica); `Last-Event-ID` = the last message
number seen, so a reconnecting browser gets what it missed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from messaging.api.chat_deps import Member, SignedIn
from messaging.api.deps import Config
from messaging.app import chat_messages, counseling_chats
from messaging.app.chat_access import enter
from messaging.app.chat_signals import chat_key, queue_key
from messaging.readmodels.tables import video_rooms
from teilhabe_kit.api import Engine
from teilhabe_kit.problems import Problem

router = APIRouter(prefix="/api/v1/messaging", tags=["counseling chats"])
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _event(kind: str, data: object, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _loop(
    request: Request,
    config,
    person_id: str,
    keys: tuple[str, ...],
    first: str,
    step: Callable[[], Awaitable[list[str]]],
) -> AsyncIterator[str]:
    """`first`, then whatever `step` finds each time a key is signalled (a heartbeat comment otherwise);
    ends after `sse_max_seconds`, once the person's account is locked, deleted or erased, or once the
    caller may no longer read (`step` refuses)."""
    deadline = time.monotonic() + config.sse_max_seconds
    revocations = request.app.state.revocations
    with request.app.state.hub.subscribe(*keys) as wake:
        yield first
        while time.monotonic() < deadline and not revocations.blocked(person_id):
            wake.clear()
            try:
                found = await step()
            except Problem:  # no longer a member (the guest of a claimed walk-in chat)
                return
            for chunk in found:
                yield chunk
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(config.sse_heartbeat_seconds):
                    await wake.wait()
                    continue
            yield ": still here\n\n"


@router.get(
    "/counseling-chats/{chat_id}/events",
    summary="Server-sent events of a chat: `message` (id = its number), `state` (members, walk-in guest)",
    response_class=StreamingResponse,
)
async def chat_events(
    chat_id: str,
    request: Request,
    engine: Engine,
    config: Config,
    party: Member,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=20)] = None,
) -> StreamingResponse:
    async with engine.connect() as conn:
        entry = await enter(conn, party, chat_id)
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else entry.chat.last_seq
    shown: dict = {}

    async def step() -> list[str]:
        nonlocal after, shown
        async with engine.connect() as conn:
            current = await enter(conn, party, chat_id)
            found = await chat_messages.since(conn, current, party, after)
            view = await counseling_chats.view(conn, current, party)
            room = await conn.scalar(select(video_rooms.c.id).where(video_rooms.c.chat_id == chat_id).limit(1))
        chunks = []
        for message in found:
            after = message["seq"]
            chunks.append(_event("message", message, message["seq"]))
        state = {"state": view["state"], "position": view["position"], "video": room is not None}
        if state != shown:
            shown = state
            chunks.append(_event("state", state | {"waiting_seconds": view["waiting_seconds"]}))
        return chunks

    first = f"retry: 3000\nid: {after}\nevent: ready\ndata: {{}}\n\n"
    keys = (chat_key(chat_id), queue_key(entry.chat.centre_id))
    return StreamingResponse(
        _loop(request, config, party.person_id, keys, first, step), media_type="text/event-stream", headers=HEADERS
    )


@router.get(
    "/centres/{centre_id}/chat-queue/events",
    summary="Server-sent events of the centre's queue: `queue` with the waiting chats on every change (counselors)",
    response_class=StreamingResponse,
)
async def queue_events(centre_id: str, request: Request, engine: Engine, config: Config, party: SignedIn):
    async with engine.connect() as conn:
        await counseling_chats.queue(conn, party, centre_id)  # the permission check
    shown: list | None = None

    async def step() -> list[str]:
        nonlocal shown
        async with engine.connect() as conn:
            items = await counseling_chats.queue(conn, party, centre_id)
        ids = [item["id"] for item in items]
        if ids == shown:
            return []
        shown = ids
        return [_event("queue", {"items": items})]

    first = "retry: 3000\nevent: ready\ndata: {}\n\n"
    return StreamingResponse(
        _loop(request, config, party.person_id, (queue_key(centre_id),), first, step),
        media_type="text/event-stream",
        headers=HEADERS,
    )
