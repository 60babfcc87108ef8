"""Calls from web pages to the services with the signed-in session's token."""

from __future__ import annotations

import logging
from typing import Any

import httpx
from fastapi import Request

from gateway.tokens import session_token
from gateway.web.render import LoginRequired, session_of, t
from teilhabe_kit.problems import Problem

log = logging.getLogger(__name__)
EXPECTED = {200, 201, 202, 204, 409, 422}


async def call(
    request: Request,
    service: str,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: Any = None,
    anonymous: bool = False,
    expect: set[int] = EXPECTED,
    files: dict[str, tuple[str, bytes, str | None]] | None = None,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send `method path` to `service` (JSON, or a multipart form with `files` and `data`).
    401 → login page; 403/404 → the matching error page."""
    upstreams = request.app.state.upstreams
    session = session_of(request)
    token = None if anonymous else await session_token(request, session, upstreams)
    if not anonymous and token is None:
        raise LoginRequired(request.url.path)
    content = None
    headers = dict(headers or {})
    if files is not None:
        encoded = httpx.Request(method, "http://multipart", files=files, data=data)
        content, headers["Content-Type"] = encoded.read(), encoded.headers["Content-Type"]
    response = await upstreams.send(
        request, service, method, path, token=token, json=json, params=params, content=content, headers=headers or None
    )
    if response.status_code in expect:
        return response
    if response.status_code == 401 and not anonymous:
        session.sign_out()
        raise LoginRequired(request.url.path)
    if response.status_code in (403, 404):
        raise Problem(
            t(request, "forbidden" if response.status_code == 403 else "not_found"),
            status=response.status_code,
            title="Forbidden" if response.status_code == 403 else "Not found",
        )
    log.warning(
        "%s answered %s on %s %s: %s",
        service,
        response.status_code,
        method,
        request.url.path,
        response.headers.get("content-type", ""),
    )
    if response.status_code == 503:
        raise Problem(t(request, "service_down"), status=503, title="Service unavailable")
    raise Problem(t(request, "service_down"), status=502, title="Bad gateway")


async def get_json(request: Request, service: str, path: str, params: Any = None) -> Any:
    return (await call(request, service, "GET", path, params=params)).json()
