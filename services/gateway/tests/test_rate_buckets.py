"""The ordinary rate buckets: taken from in memory, synced with the shared ones in one statement.

Two `RateLimiter`s on one database stand for two gateway replicas.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from starlette.requests import Request

from gateway.ratelimit import Limit, LocalBuckets, RateLimiter
from gateway.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import ensure_database, migrate


def _request(address: str, method: str = "GET", path: str = "/api/v1/orders/orders") -> Request:
    scope = {"type": "http", "method": method, "path": path, "headers": [], "client": (address, 1234)}
    return Request(scope)


@pytest.fixture(scope="module")
async def engine(stack):
    url = await ensure_database("gateway_test")
    await migrate("gateway", url)
    engine = create_engine(url)
    yield engine
    await engine.dispose()


def _replica(engine, burst: float = 5, per_minute: float = 0.06) -> RateLimiter:
    """Refills one token in 1,000 s: a slow, busy machine between two steps adds nothing measurable."""
    return RateLimiter(engine, Settings(rate_per_minute=per_minute, rate_burst=burst, rate_sync_seconds=60))


async def _shared(engine, address: str) -> float:
    async with engine.connect() as conn:
        return await conn.scalar(text("SELECT tokens FROM rate_buckets WHERE key = :k"), {"k": f"all:{address}"})


def test_a_copy_refills_caps_at_the_burst_and_floors_at_minus_one():
    copies = LocalBuckets(Limit("all", per_minute=60, burst=3), sync_seconds=1)
    assert copies.take("a", now=0.0) is None  # no copy yet: the shared bucket decides
    copies.seed("a", 2, now=0.0)
    assert [copies.take("a", now=0.0) for _ in range(4)] == [1, 0, -1, -1]
    assert copies.take("a", now=1.5) == pytest.approx(-0.5)  # 1.5 s at one token per second, one taken
    assert copies.pending() == {"a": 5} and copies.pending() == {}
    assert copies.take("a", now=10.0) is None  # not synced for two intervals: the shared bucket decides again


async def test_one_replica_keeps_the_limit_and_the_shared_bucket_learns_what_it_took(engine):
    address = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    replica = _replica(engine)
    verdicts = [await replica.take(_request(address)) for _ in range(7)]
    assert [v.allowed for v in verdicts] == [True] * 5 + [False] * 2
    assert verdicts[-1].retry_after >= 1
    assert await _shared(engine, address) == pytest.approx(4, abs=0.1)  # only the first take went there
    await replica.sync()
    assert await _shared(engine, address) == pytest.approx(-1, abs=0.1)
    await replica.sync()  # nothing taken since: nothing subtracted again
    assert await _shared(engine, address) == pytest.approx(-1, abs=0.1)


async def test_a_second_replica_sees_what_the_first_took_after_a_sync(engine):
    address = f"198.51.100.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    first, second = _replica(engine), _replica(engine)
    assert all([(await first.take(_request(address))).allowed for _ in range(5)])
    await first.sync()
    refused = await second.take(_request(address))
    assert not refused.allowed


async def test_what_both_replicas_took_meanwhile_is_subtracted_once_each(engine):
    address = f"192.0.2.{uuid.uuid4().int % 250}-{uuid.uuid4().hex[:6]}"
    first, second = _replica(engine, burst=10), _replica(engine, burst=10)
    for replica in (first, second):
        for _ in range(3):
            await replica.take(_request(address))
    await first.sync()
    await second.sync()
    # 10 - 1 (first's seed) - 1 (second's seed, shared) - 2 - 2 (local takes, synced) = 4
    assert await _shared(engine, address) == pytest.approx(4, abs=0.1)
    assert (await first.take(_request(address))).allowed
