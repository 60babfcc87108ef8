"""The proxy's calls to the services: aiohttp with pooled keep-alive connections.

httpx's pool looked at the socket of every pooled connection for every request (``has_expired``,
a ``select`` each), a third of the gateway's CPU per proxied call under load; aiohttp's connector
takes a free connection off a list and parses answers in C. Answers that say their length and
are at most `BUFFER_LIMIT` come back whole (one ASGI message); event streams and other bodies are
streamed. The web pages' own calls keep `Upstreams.send` (httpx): they are few and read JSON.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable

import aiohttp
from prometheus_client import Gauge
from starlette.responses import Response, StreamingResponse
from yarl import URL

from gateway.settings import Settings

log = logging.getLogger(__name__)

BUFFER_LIMIT = 1 << 20
RESPONSE_DROP = {b"connection", b"keep-alive", b"transfer-encoding", b"content-length", b"set-cookie", b"x-request-id"}
EVENT_HEADERS = [(b"cache-control", b"no-cache"), (b"x-accel-buffering", b"no")]
OPEN_STREAMS = Gauge("teilhabe_gateway_open_streams", "Event streams (SSE) the gateway relays right now", ["service"])
UNREACHABLE = (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError, asyncio.TimeoutError)


class Unreachable(Exception):
    """The service did not answer (refused, reset, timed out)."""


class NotConnected(Unreachable):
    """No connection could be made (the replica is down): nothing was sent, another replica may take it."""


class Relayed(Response):
    """A service's whole answer, its headers as they came (less hop-by-hop ones)."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        super().__init__(body, status_code=status)
        self.raw_headers.extend(headers)


class RelayedStream(StreamingResponse):
    """A service's answer streamed as it comes (event streams, downloads without a length)."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: AsyncIterator[bytes]) -> None:
        super().__init__(body, status_code=status)
        self.raw_headers.extend(headers)


def _session(connections: int, read_timeout: float | None) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        # idle connections go before uvicorn's keep-alive (5 s) closes them under a request in flight
        connector=aiohttp.TCPConnector(limit=connections, limit_per_host=0, keepalive_timeout=4),
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=3.0, sock_read=read_timeout),
        auto_decompress=False,  # bodies pass through as the service encoded them
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=("User-Agent", "Accept-Encoding"),
    )


class Relay:
    """Two pools: ordinary requests (read timeout) and event streams (none: a stream stays open),
    so however many people listen, ordinary requests keep their connections."""

    def __init__(self, settings: Settings) -> None:
        self._ordinary = _session(settings.upstream_connections, settings.upstream_timeout_seconds)
        self._streams = _session(settings.stream_connections, None)

    async def aclose(self) -> None:
        await self._ordinary.close()
        await self._streams.close()

    async def send(
        self,
        service: str,
        method: str,
        url: str,
        headers: Iterable[tuple[str, str]],
        body: AsyncIterator[bytes] | None,
        *,
        events: bool,
    ) -> Response:
        """`url` as encoded (path and query are not touched again); raises `Unreachable`."""
        session = self._streams if events else self._ordinary
        try:
            upstream = await session.request(
                method, URL(url, encoded=True), headers=list(headers), data=body, allow_redirects=False
            )
        except aiohttp.ClientConnectorError as error:
            raise NotConnected(str(error) or type(error).__name__) from error
        except UNREACHABLE as error:
            raise Unreachable(str(error) or type(error).__name__) from error
        headers_back = [(k.lower(), v) for k, v in upstream.raw_headers if k.lower() not in RESPONSE_DROP]
        length = upstream.content_length
        if not events and length is not None and length <= BUFFER_LIMIT:
            try:
                content = await upstream.read()
            except UNREACHABLE as error:
                raise Unreachable(type(error).__name__) from error
            finally:
                upstream.release()
            return Relayed(upstream.status, headers_back, content)
        if events:
            headers_back = [(k, v) for k, v in headers_back if k != b"cache-control"] + EVENT_HEADERS
        return RelayedStream(upstream.status, headers_back, _body(upstream, service if events else None))


async def _body(upstream: aiohttp.ClientResponse, events_of: str | None) -> AsyncIterator[bytes]:
    """The body as it arrives; a service that stops answering midway (restart, timeout) ends the
    relayed body there: the client sees a short response or, for an event stream, reconnects.
    An event stream counts in `OPEN_STREAMS` while it is relayed."""
    if events_of:
        OPEN_STREAMS.labels(events_of).inc()
    try:
        async for chunk in upstream.content.iter_any():
            yield chunk
    except UNREACHABLE as error:
        log.warning("upstream body of %s ended early: %s", upstream.url.path, type(error).__name__)
    finally:
        upstream.release()  # back to the pool when read to the end, else closed
        if events_of:
            OPEN_STREAMS.labels(events_of).dec()
