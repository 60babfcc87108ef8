"""`/api/v1/<service>/...` → the service, bodies relayed both ways; `/events` relays notifications (SSE)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from gateway.tokens import api_token
from gateway.upstream import Upstreams
from teilhabe_kit import problem_texts as texts
from teilhabe_kit.auth import Unauthenticated

router = APIRouter()

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _raw_path(request: Request) -> str:
    """The path exactly as the client encoded it: decoding would break on control characters and
    turn an encoded ``%2F`` inside a segment into a path separator."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else request.url.path


@router.api_route("/api/v1/{service}/{path:path}", methods=METHODS, include_in_schema=False)
async def forward(service: str, path: str, request: Request) -> Response:
    upstreams: Upstreams = request.app.state.upstreams
    upstreams.base(service)  # unknown service → 404 before anything else
    token = await api_token(request)
    has_body = request.method in ("POST", "PUT", "PATCH", "DELETE")
    return await upstreams.forward(
        request, service, _raw_path(request), token=token, body=request.stream() if has_body else None
    )


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
) -> Response:
    """The signed-in browser's notification stream, relayed from messaging (Last-Event-ID passed)."""
    token = await api_token(request)
    if token is None:
        raise Unauthenticated(texts.SIGN_IN)
    headers = {"accept": "text/event-stream"}
    last_id = request.headers.get("Last-Event-ID") or last_event_id
    if last_id:
        headers["last-event-id"] = last_id
    upstreams: Upstreams = request.app.state.upstreams
    path = request.app.state.settings.notifications_stream_path
    return await upstreams.forward(request, "messaging", path, token=token, headers=headers, from_client=False)
