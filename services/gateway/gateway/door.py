"""What the public door lets through to a service: clean paths and the gateway's own headers.

A path reaches a service only as ``/api/v1/<service>/…`` of that service: dot segments (raw or
percent-encoded, once or twice), encoded slashes and backslashes are refused with 400, so that no
HTTP client or server on the way resolves them to ``/metrics``, ``/health/ready`` or another
service's API. ``/api/v1/<service>/internal/…`` (service-to-service calls) is not served at all.
Headers that only the gateway may set (client address, request id, service credentials) are
dropped from what a client sent; the gateway sets its own.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote

from starlette.requests import Request

from teilhabe_kit.problems import NotFound, Problem

DOOR_HEADERS = {
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-real-ip",
    "forwarded",
    "x-request-id",
    "x-service-credential",
}
"""Set by the gateway alone: a client's values never reach a service."""

_ENCODED_SEPARATOR = re.compile(r"%(2f|5c)", re.IGNORECASE)


class BadPath(Problem):
    status = 400
    title = "Bad request"

    def __init__(self) -> None:
        super().__init__("Diese Adresse ist ungültig. Bitte prüfen Sie, ob sie vollständig und richtig ist.")


def checked_path(service: str, path: str) -> str:
    """`path` (as the client encoded it) if it stays inside ``/api/v1/<service>/``; else 400 (404
    for the internal API)."""
    decoded = unquote(unquote(path))
    if "\\" in decoded or _ENCODED_SEPARATOR.search(unquote(path)) or _ENCODED_SEPARATOR.search(path):
        raise BadPath()
    segments = decoded.split("/")
    if any(segment in (".", "..") for segment in segments):
        raise BadPath()
    prefix = f"/api/v1/{service}/"
    if not path.startswith(prefix) or not posixpath.normpath(decoded).startswith(prefix.rstrip("/")):
        raise BadPath()
    if segments[4:5] == ["internal"]:
        raise NotFound("Diese Adresse gibt es nicht.")
    return path


def client_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A client's headers without those only the gateway sets."""
    return {k: v for k, v in headers.items() if k.lower() not in DOOR_HEADERS}


def client_address(request: Request, trust_forwarded_for: bool) -> str:
    """The caller's address: behind the trusted ingress, the last X-Forwarded-For hop (the one the
    ingress itself added; earlier hops are whatever the client wrote)."""
    forwarded = request.headers.get("X-Forwarded-For", "") if trust_forwarded_for else ""
    if forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"
