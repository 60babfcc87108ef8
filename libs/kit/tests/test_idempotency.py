"""Idempotency keys on the real PostgreSQL: a retry gets the first answer, a reused key is refused."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from kit_support import new_stream_id

from teilhabe_kit import idempotency
from teilhabe_kit.problems import Unprocessable


async def test_a_retry_returns_the_stored_answer_and_a_rolled_back_claim_is_forgotten(engine):
    key, body = new_stream_id(), {"name": "x"}
    with pytest.raises(RuntimeError):
        async with engine.begin() as conn:
            assert await idempotency.claim(conn, "test", key, idempotency.fingerprint(body)) is None
            raise RuntimeError("creation failed")
    async with engine.begin() as conn:
        assert await idempotency.claim(conn, "test", key, idempotency.fingerprint(body)) is None
        await idempotency.remember(conn, "test", key, 201, {"id": "42"})
    async with engine.begin() as conn:
        stored = await idempotency.claim(conn, "test", key, idempotency.fingerprint(body))
    assert stored == idempotency.StoredAnswer(201, {"id": "42"})
    assert stored.response().headers["Idempotent-Replayed"] == "true"


async def test_once_creates_once_per_key_and_without_a_key_every_time(engine):
    created: list[str] = []

    async def create(conn) -> dict:
        created.append(new_stream_id())
        return {"id": created[-1]}

    key, body = new_stream_id(), {"name": "y"}
    first = await idempotency.once(engine, "test", key, body, create, status_code=202)
    retried = await idempotency.once(engine, "test", key, body, create)
    assert (first.status_code, retried.status_code) == (202, 202)
    assert first.body == retried.body and retried.headers["Idempotent-Replayed"] == "true"
    assert len(created) == 1
    await idempotency.once(engine, "test", None, body, create)
    await idempotency.once(engine, "test", None, body, create)
    assert len(created) == 3


async def test_the_same_key_with_another_body_is_refused_naming_the_header(engine):
    key = new_stream_id()
    async with engine.begin() as conn:
        await idempotency.claim(conn, "test", key, idempotency.fingerprint({"a": 1}))
        await idempotency.remember(conn, "test", key, 201, {})
    with pytest.raises(Unprocessable) as refused:
        async with engine.begin() as conn:
            await idempotency.claim(conn, "test", key, idempotency.fingerprint({"a": 2}))
    assert refused.value.field == "Idempotency-Key"


async def test_a_concurrent_duplicate_waits_and_sees_the_first_answer(engine):
    key, fp = new_stream_id(), idempotency.fingerprint({"b": 1})
    first_claimed = asyncio.Event()

    async def first():
        async with engine.begin() as conn:
            assert await idempotency.claim(conn, "test", key, fp) is None
            first_claimed.set()
            await asyncio.sleep(0.3)
            await idempotency.remember(conn, "test", key, 201, {"id": "first"})

    async def second():
        await first_claimed.wait()
        async with engine.begin() as conn:
            return await idempotency.claim(conn, "test", key, fp)

    _, stored = await asyncio.gather(first(), second())
    assert stored.body == {"id": "first"}


async def test_old_keys_are_purged(engine):
    key = new_stream_id()
    async with engine.begin() as conn:
        await idempotency.claim(conn, "purge", key, "f")
        assert await idempotency.purge_older_than(conn, datetime.now(UTC) + timedelta(seconds=1)) >= 1
        assert await idempotency.claim(conn, "purge", key, "g") is None
