"""Calls to the services: pooled httpx clients, request id and trace context forwarded.

Event streams (SSE) hold their upstream connection for as long as the browser listens, so they
get a client of their own: however many people listen, ordinary requests keep their pool."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client import Gauge
from starlette.requests import Request

from gateway.door import checked_path, client_address, client_headers
from gateway.settings import Settings
from teilhabe_kit.http import REQUEST_ID_HEADER
from teilhabe_kit.problems import Problem
from teilhabe_kit.telemetry import current_trace_headers

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    "cookie",
    "x-csrf-token",
}
RESPONSE_DROP = {"connection", "keep-alive", "transfer-encoding", "content-length", "set-cookie", "x-request-id"}


OPEN_STREAMS = Gauge("teilhabe_gateway_open_streams", "Event streams (SSE) the gateway relays right now", ["service"])


class ServiceDown(Problem):
    """A service did not answer: a clear 503 instead of a hanging or cryptic error."""

    status = 503
    title = "Service unavailable"

    def __init__(self, service: str) -> None:
        super().__init__(
            "Dieser Teil der Plattform ist gerade nicht erreichbar. "
            "Bitte versuchen Sie es in einer Minute noch einmal.",
            en="This part of the platform cannot be reached right now. Please try again in a minute.",
        )
        self.service = service


class UnknownService(Problem):
    status = 404
    title = "Not found"


class Upstreams:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.upstream_timeout_seconds, connect=3.0),
            limits=httpx.Limits(max_connections=settings.upstream_connections, max_keepalive_connections=50),
        )
        self.streams = httpx.AsyncClient(
            timeout=httpx.Timeout(None, connect=3.0),  # a stream stays open
            limits=httpx.Limits(max_connections=settings.stream_connections, max_keepalive_connections=10),
        )

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.streams.aclose()

    def base(self, service: str) -> str:
        url = self._settings.service_url(service)
        if url is None:
            raise UnknownService(f"Diesen Dienst gibt es nicht: {service}", en=f"Unknown service: {service}")
        return url

    def context_headers(self, request: Request) -> dict[str, str]:
        headers = {REQUEST_ID_HEADER: getattr(request.state, "request_id", "")}
        headers |= current_trace_headers()
        headers["X-Forwarded-For"] = client_address(request, self._settings.trust_forwarded_for)
        headers["X-Forwarded-Proto"] = request.url.scheme
        return headers

    async def send(
        self,
        request: Request,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json: Any = None,
        params: Any = None,
        headers: dict[str, str] | None = None,
        content: Any = None,
        stream: bool = False,
    ) -> httpx.Response:
        """Send to `service`; `path` stays inside ``/api/v1/<service>/`` (else 400). Unreachable → ServiceDown."""
        path = checked_path(service, path)
        given = client_headers(headers or {}) | self.context_headers(request)
        if token:
            given["Authorization"] = f"Bearer {token}"
        all_headers = httpx.Headers(given)  # the proxy passes lower-case names: match any case
        events = stream and "text/event-stream" in all_headers.get("accept", "")
        client = self.streams if events else self.client
        built = client.build_request(
            method,
            self.base(service) + path,
            json=json,
            params=params,
            headers=all_headers,
            content=content,
        )
        try:
            return await client.send(built, stream=stream)
        except (
            httpx.ConnectError,
            httpx.ConnectTimeout,
            httpx.ReadTimeout,
            httpx.RemoteProtocolError,
            httpx.PoolTimeout,
        ) as error:
            raise ServiceDown(service) from error
