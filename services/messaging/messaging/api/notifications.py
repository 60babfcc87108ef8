"""Inbox and server-sent events: each person's notifications, pushed live, replayed after `Last-Event-ID`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from messaging.api.deps import Config
from messaging.app import notifications
from teilhabe_kit.api import Caller, Engine
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix="/api/v1/messaging/notifications", tags=["notifications"])


@router.get("", summary="The caller's notifications, newest first (any signed-in person)")
async def inbox(
    engine: Engine,
    principal: Caller,
    unread: bool = False,
    before: Annotated[int | None, Query(ge=1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict:
    async with engine.connect() as conn:
        items = await notifications.inbox(conn, principal.account_id, unread_only=unread, before=before, limit=limit)
    return {"items": items, "next_before": items[-1]["event_id"] if len(items) == limit else None}


@router.get("/unread-count", summary="How many notifications are unread (any signed-in person)")
async def unread_count(engine: Engine, principal: Caller) -> dict:
    async with engine.connect() as conn:
        return {"unread": await notifications.unread_count(conn, principal.account_id)}


@router.post("/read", summary="Mark all notifications read (any signed-in person)")
async def read_all(engine: Engine, principal: Caller) -> dict:
    async with engine.begin() as conn:
        return {"marked": await notifications.mark_read(conn, principal.account_id, None, datetime.now(UTC))}


@router.post("/{notification_id}/read", summary="Mark one own notification read")
async def read_one(notification_id: str, engine: Engine, principal: Caller) -> dict:
    async with engine.begin() as conn:
        if not await notifications.exists_for(conn, principal.account_id, notification_id):
            raise NotFound("Diese Benachrichtigung gibt es nicht.")
        return {"marked": await notifications.mark_read(conn, principal.account_id, notification_id, datetime.now(UTC))}


def _event(row) -> str:
    data = notifications.as_json(row)
    data.pop("deliveries")
    return f"id: {row.seq}\nevent: notification\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.get(
    "/stream",
    summary="Server-sent events of the caller's notifications; send Last-Event-ID to get missed ones",
    response_class=StreamingResponse,
)
async def stream(
    request: Request,
    engine: Engine,
    config: Config,
    principal: Caller,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    person = principal.account_id
    hub, revocations = request.app.state.hub, request.app.state.revocations
    try:
        given = int(last_event_id) if last_event_id else None
    except ValueError:
        given = None
    if given is None:
        async with engine.connect() as conn:
            given = await notifications.latest_seq(conn, person)
    after = given

    async def events() -> AsyncIterator[str]:
        nonlocal after
        deadline = time.monotonic() + config.sse_max_seconds
        with hub.subscribe(person) as wake:
            yield f"retry: 3000\nid: {after}\nevent: ready\ndata: {{}}\n\n"
            while time.monotonic() < deadline and not revocations.blocked(person):  # locked, deleted, erased: ends
                wake.clear()
                async with engine.connect() as conn:
                    rows = await notifications.since(conn, person, after)
                for row in rows:
                    after = row.seq
                    yield _event(row)
                if rows:
                    continue
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(config.sse_heartbeat_seconds):
                        await wake.wait()
                        continue
                yield ": still here\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no",
        },
    )
