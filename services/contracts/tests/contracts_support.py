"""Helpers of the contracts tests: identity's stand-in, publishing and reading events, small files."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI, Request
from fastapi.responses import Response
from teilhabe_events import decode, encode, registry
from teilhabe_kit.testing import publish_raw

PASSWORD = "richtiges Passwort"


def identity_stand_in() -> FastAPI:
    stand_in = FastAPI()

    @stand_in.post("/reauthenticate")
    async def reauthenticate(request: Request) -> Response:
        body = await request.json()
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return Response(status_code=401)
        return Response(status_code=204 if body.get("password") == PASSWORD else 422)

    return stand_in


async def publish_event(bootstrap: str, event, *, stream_id: str, stream_version: int = 1) -> None:
    """Publish a public event as its owning service would (envelope on its topic, keyed by stream)."""
    envelope = registry.envelope(event, stream_id=stream_id, stream_version=stream_version)
    await publish_raw(bootstrap, type(event).topic(), encode(envelope), key=stream_id.encode())


async def events_on(bootstrap: str, topic: str, key: str | None, *, until: set[str], where=None,
                    timeout_s: float = 30) -> list:
    """Envelopes with `key` (or matching `where`) on `topic` from the start, until every type in `until` was seen."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False, group_id=None)
    await consumer.start()
    found: list = []
    try:
        async with asyncio.timeout(timeout_s):
            while not until <= {e.event_type for e in found}:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    envelopes = [decode(r.value) for r in batch if key is None or r.key == key.encode()]
                    found.extend(e for e in envelopes if where is None or where(e))
    finally:
        await consumer.stop()
    return found


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
