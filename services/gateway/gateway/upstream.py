"""Calls to the services, request id and trace context forwarded: `forward` relays a client's
request (the proxy, `gateway.relay`), `send` makes the web pages' own calls (httpx, JSON)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import httpx
from starlette.requests import Request
from starlette.responses import Response

from gateway.door import checked_path, client_address, client_headers
from gateway.relay import NotConnected, Relay, Unreachable
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

        self.relay = Relay(settings)
        self._turns: dict[str, int] = {}

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.relay.aclose()

    def bases(self, service: str) -> list[str]:
        """The service's replicas, the next one in turn first (round-robin), the others to try after it."""
        urls = self._settings.service_urls(service)
        if not urls:
            raise UnknownService(f"Diesen Dienst gibt es nicht: {service}", en=f"Unknown service: {service}")
        turn = self._turns.get(service, 0)
        self._turns[service] = turn + 1
        first = turn % len(urls)
        return urls[first:] + urls[:first]

    def base(self, service: str) -> str:
        return self.bases(service)[0]

    def context_headers(self, request: Request) -> dict[str, str]:
        headers = {REQUEST_ID_HEADER: getattr(request.state, "request_id", "")}
        headers |= current_trace_headers()
        headers["X-Forwarded-For"] = client_address(request, self._settings.trust_forwarded_for)
        headers["X-Forwarded-Proto"] = request.url.scheme
        return headers

    async def forward(
        self,
        request: Request,
        service: str,
        path: str,
        *,
        token: str | None,
        headers: dict[str, str] | None = None,
        body: AsyncIterator[bytes] | None = None,
        from_client: bool = True,
    ) -> Response:
        """Relay the request to `service` and its answer back: with `from_client` the client's query
        and headers (less hop-by-hop and the gateway's own ones), and `headers` (lower-case names);
        `path` stays inside ``/api/v1/<service>/`` (else 400). A replica that refuses the connection
        hands the request to the next (nothing was sent); unreachable otherwise → ServiceDown."""
        target = checked_path(service, path)
        given = {}
        if from_client:
            if query := request.query_params.multi_items():
                target += "?" + urlencode(query)
            given = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP and k != "authorization"}
        given = client_headers(given | (headers or {})) | self.context_headers(request)
        if token:
            given["authorization"] = f"Bearer {token}"
        events = "text/event-stream" in given.get("accept", "")
        refused: NotConnected | None = None
        for base in self.bases(service):
            try:
                return await self.relay.send(service, request.method, base + target, given.items(), body, events=events)
            except NotConnected as error:
                refused = error
            except Unreachable as error:
                raise ServiceDown(service) from error
        raise ServiceDown(service) from refused

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
    ) -> httpx.Response:
        """Send to `service`, the answer read whole; `path` stays inside ``/api/v1/<service>/`` (else
        400). Unreachable → ServiceDown."""
        path = checked_path(service, path)
        given = client_headers(headers or {}) | self.context_headers(request)
        if token:
            given["Authorization"] = f"Bearer {token}"
        refused: httpx.ConnectError | None = None
        for base in self.bases(service):
            built = self.client.build_request(
                method, base + path, json=json, params=params, headers=given, content=content
            )
            try:
                return await self.client.send(built)
            except httpx.ConnectError as error:  # refused: nothing was sent, the next replica may answer
                refused = error
            except (httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.PoolTimeout) as error:
                raise ServiceDown(service) from error
        raise ServiceDown(service) from refused
