"""`/api/v1/<service>/...` → the service, streamed both ways; `/events` relays notifications (SSE)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from gateway.tokens import api_token
from gateway.upstream import HOP_BY_HOP, OPEN_STREAMS, RESPONSE_DROP, Upstreams
from teilhabe_kit import problem_texts as texts
from teilhabe_kit.auth import Unauthenticated

log = logging.getLogger(__name__)
router = APIRouter()

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


async def _relay(response: httpx.Response) -> AsyncIterator[bytes]:
    """The upstream body; a service that stops answering midway (restart, timeout) ends the relayed
    body there: the client sees a short response or, for an event stream, reconnects."""
    try:
        async for chunk in response.aiter_raw():
            yield chunk
    except httpx.TransportError as error:
        log.warning("upstream body of %s ended early: %s", response.request.url.path, type(error).__name__)
    finally:
        await response.aclose()


async def _relay_events(service: str, response: httpx.Response) -> AsyncIterator[bytes]:
    OPEN_STREAMS.labels(service).inc()
    try:
        async for chunk in _relay(response):
            yield chunk
    finally:
        OPEN_STREAMS.labels(service).dec()


def _stream_back(service: str, response: httpx.Response) -> StreamingResponse:
    headers = {k: v for k, v in response.headers.items() if k.lower() not in RESPONSE_DROP}
    events = response.headers.get("content-type", "").startswith("text/event-stream")
    if events:
        headers |= {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    body = _relay_events(service, response) if events else _relay(response)
    return StreamingResponse(body, status_code=response.status_code, headers=headers)


def _raw_path(request: Request) -> str:
    """The path exactly as the client encoded it: decoding would break on control characters and
    turn an encoded ``%2F`` inside a segment into a path separator."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else request.url.path


@router.api_route("/api/v1/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> StreamingResponse:
    upstreams: Upstreams = request.app.state.upstreams
    upstreams.base(service)  # unknown service → 404 before anything else
    token = await api_token(request)
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "authorization"}
    has_body = request.method in ("POST", "PUT", "PATCH", "DELETE")
    response = await upstreams.send(
        request,
        service,
        request.method,
        _raw_path(request),
        token=token,
        params=request.query_params.multi_items(),
        headers=headers,
        content=request.stream() if has_body else None,
        stream=True,
    )
    return _stream_back(service, response)


@router.get(
    "/events",
    summary="Server-sent events of the caller's notifications (signed in; Last-Event-ID or ?last_event_id=)",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "`event: notification` per new notification"},
        401: {"content": {"application/problem+json": {}}, "description": "not signed in"},
    },
)
async def notification_events(
    request: Request, last_event_id: Annotated[str | None, Query(max_length=40)] = None
) -> StreamingResponse:
    """The signed-in browser's notification stream, relayed from messaging (Last-Event-ID passed)."""
    token = await api_token(request)
    if token is None:
        raise Unauthenticated(texts.SIGN_IN)
    headers = {"Accept": "text/event-stream"}
    last_id = request.headers.get("Last-Event-ID") or last_event_id
    if last_id:
        headers["Last-Event-ID"] = last_id
    upstreams: Upstreams = request.app.state.upstreams
    response = await upstreams.send(
        request,
        "messaging",
        "GET",
        request.app.state.settings.notifications_stream_path,
        token=token,
        headers=headers,
        stream=True,
    )
    return _stream_back("messaging", response)
