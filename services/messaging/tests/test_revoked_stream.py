"""An open notification stream does not outlive its account: a lock ends it at the next wake-up
(the heartbeat, one second here), and a new connection with the same token is refused."""

from __future__ import annotations

import asyncio
import time

import httpx
from messaging_support import account_event, new_id, send

from teilhabe_kit.auth import Role
from teilhabe_kit.testing import bearer

STREAM = "/api/v1/messaging/notifications/stream"


async def test_a_lock_ends_the_open_stream_and_the_token_is_refused(messaging, kafka_bootstrap, token_issuer):
    m = messaging
    person = new_id("seeker")
    headers = bearer(token_issuer, person, Role.SEEKER)
    async with m.client.stream("GET", STREAM, headers=headers, timeout=httpx.Timeout(5, read=None)) as response:
        assert response.status_code == 200
        lines = response.aiter_lines()
        async with asyncio.timeout(10):
            while "event: ready" not in await anext(lines):
                pass
        await send(kafka_bootstrap, m.topics.identity, account_event("AccountLocked", person, {"locked_by": "a"}, 3))
        locked_at = time.perf_counter()
        async with asyncio.timeout(5):  # the stream ends by itself (heartbeat 1 s + the event's way)
            async for _ in lines:
                pass
        print(f"stream ended {time.perf_counter() - locked_at:.2f} s after the lock was published")
    again = await m.client.get(STREAM, headers=headers)
    assert again.status_code == 401 and again.headers["content-type"].startswith("application/problem+json")
