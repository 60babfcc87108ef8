"""Helpers for messaging's tests: events as other services publish them, an SSE reader, waiting, a
messaging that mails what it learns from a private identity topic."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import httpx

from messaging.app.smtp_sink import SmtpSink
from messaging.main import build
from messaging.settings import Settings
from teilhabe_events import EventEnvelope, dlq_topic, encode, new_envelope
from teilhabe_kit.testing import create_topics, ensure_database, free_port, migrate, publish_raw, serve, unique_topic


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def envelope(event_type: str, stream_type: str, stream_id: str, payload: dict, version: int = 1) -> EventEnvelope:
    return new_envelope(
        event_type=event_type,
        schema_version=1,
        stream_type=stream_type,
        stream_id=stream_id,
        stream_version=version,
        payload=payload,
    )


def availability_request(assistant_id: str, order_id: str) -> EventEnvelope:
    return envelope(
        "AvailabilityRequestSent",
        "order",
        order_id,
        {
            "request_id": new_id("req"),
            "order_id": order_id,
            "revision": 1,
            "assistant_id": assistant_id,
            "organisation_id": None,
            "trigger": "order",
            "explanation": {"activities": [], "covered_ranges": [], "distance_km": 2.5},
        },
    )


def offer_submitted(
    order_id: str,
    seeker_id: str,
    *,
    assistant_id: str | None = None,
    organisation_id: str | None = None,
    submitted_by: str | None = None,
) -> EventEnvelope:
    kind = "assistant" if assistant_id else "provider"
    return envelope(
        "OfferSubmitted",
        "order",
        order_id,
        {
            "offer_id": new_id("offer"),
            "seeker_id": seeker_id,
            "kind": kind,
            "assistant_id": assistant_id,
            "organisation_id": organisation_id,
            "submitted_by": submitted_by or assistant_id,
            "from_request": True,
        },
        version=2,
    )


def account_event(event_type: str, account_id: str, payload: dict | None = None, version: int = 1) -> EventEnvelope:
    return envelope(event_type, "account", account_id, payload or {}, version)


async def send(bootstrap: str, topic: str, *events: EventEnvelope) -> None:
    for event in events:
        await publish_raw(bootstrap, topic, encode(event), key=event.stream_id.encode())


async def eventually(check: Callable[[], Awaitable], timeout: float = 20.0, interval: float = 0.1):
    """Await `check()` until it returns something truthy (and return that) or fail after `timeout`."""
    async with asyncio.timeout(timeout):
        while True:
            result = await check()
            if result:
                return result
            await asyncio.sleep(interval)


class SseClient:
    """Reads server-sent events from a streaming response into a queue (the notifications' stream,
    or another `path`; `kinds` are the event names queued, with their name under ``"event"``)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        headers: dict[str, str],
        last_event_id: str | None = None,
        *,
        path: str = "/api/v1/messaging/notifications/stream",
        kinds: tuple[str, ...] = ("notification",),
    ) -> None:
        self._client = client
        self._path = path
        self._kinds = kinds
        self._headers = headers | ({"Last-Event-ID": last_event_id} if last_event_id else {})
        self.events: asyncio.Queue[dict] = asyncio.Queue()
        self.last_id: str | None = last_event_id
        self._task: asyncio.Task | None = None
        self.ready = asyncio.Event()

    async def __aenter__(self) -> SseClient:
        self._task = asyncio.create_task(self._read())
        async with asyncio.timeout(10):
            await self.ready.wait()
        return self

    async def __aexit__(self, *exc) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    async def _read(self) -> None:
        async with self._client.stream(
            "GET", self._path, headers=self._headers, timeout=httpx.Timeout(5, read=None)
        ) as response:
            assert response.status_code == 200, response.status_code
            fields: dict[str, str] = {}
            async for line in response.aiter_lines():
                if line == "":
                    if fields.get("id"):
                        self.last_id = fields["id"]
                    if fields.get("event") == "ready":
                        self.ready.set()
                    elif fields.get("event") in self._kinds:
                        data = json.loads(fields["data"])
                        await self.events.put(
                            data if self._kinds == ("notification",) else data | {"event": fields["event"]}
                        )
                    fields = {}
                elif not line.startswith(":"):
                    key, _, value = line.partition(":")
                    fields[key] = value.removeprefix(" ")

    async def next(self, timeout: float = 15.0) -> dict:
        async with asyncio.timeout(timeout):
            return await self.events.get()


def now() -> datetime:
    return datetime.now(UTC)


async def fresh_database(name: str) -> str:
    """The URL of database `name` (created when missing) with messaging's tables migrated."""
    url = await ensure_database(name)
    await migrate("messaging", url)
    return url


@dataclass(frozen=True)
class Mailer:
    bootstrap: str
    topic: str
    sink: SmtpSink

    async def send(self, *events: EventEnvelope) -> None:
        """Publish identity's `events` on the private topic this messaging reads."""
        await send(self.bootstrap, self.topic, *events)

    async def one_mail(self) -> EmailMessage:
        [mail] = await eventually(lambda: asyncio.sleep(0, self.sink.mails()), timeout=30)
        return mail


@asynccontextmanager
async def mailer(
    bootstrap: str, identity_url: str, credential: str, folder: Path, database: str
) -> AsyncIterator[Mailer]:
    """Messaging on database `database` and a private identity topic (so no other platform's
    messaging takes a one-time link first), asking identity for contacts and links with
    `credential` and mailing into a local sink under `folder`."""
    topic = unique_topic("identity")
    await create_topics(bootstrap, topic, dlq_topic(topic))
    settings = Settings(
        database_url=await fresh_database(database),
        kafka_bootstrap_servers=bootstrap,
        consumer_group=unique_topic("journey"),
        event_topics=topic,
        identity_url=identity_url,
        identity_credential=credential,
        contacts_json="",
        storage_dir=str(folder / "files"),
        sink_dir=str(folder / "sink"),
        smtp_port=free_port(),
        smtp_sink="local",
        delivery_poll_seconds=0.2,
    )
    async with serve(build(settings)):
        yield Mailer(bootstrap, topic, SmtpSink(folder / "sink" / "mail"))
