"""Event store on the real PostgreSQL: versions, conflicts, reading."""

import asyncio

import pytest
from kit_support import event, new_stream_id

from teilhabe_kit import eventstore
from teilhabe_kit.eventstore import ConcurrencyConflict


async def test_append_and_read_back_in_order(engine):
    stream = new_stream_id()
    async with engine.begin() as conn:
        await eventstore.append(conn, "test", stream, 0, [event(stream, 1, n=1), event(stream, 2, n=2)])
    async with engine.begin() as conn:
        await eventstore.append(conn, "test", stream, 2, [event(stream, 3, n=3)])
    async with engine.connect() as conn:
        events = await eventstore.read_stream(conn, "test", stream)
        assert [e.payload["n"] for e in events] == [1, 2, 3]
        assert await eventstore.stream_version(conn, "test", stream) == 3
        tail = await eventstore.read_stream(conn, "test", stream, after_version=2)
        assert [e.stream_version for e in tail] == [3]
        positions = [p async for p, e in eventstore.read_all(conn) if e.stream_id == stream]
        assert positions == sorted(positions) and len(positions) == 3


async def test_stale_expected_version_is_a_conflict(engine):
    stream = new_stream_id()
    async with engine.begin() as conn:
        await eventstore.append(conn, "test", stream, 0, [event(stream, 1)])
    with pytest.raises(ConcurrencyConflict):
        async with engine.begin() as conn:
            await eventstore.append(conn, "test", stream, 0, [event(stream, 1)])


async def test_two_concurrent_appends_at_the_same_version_exactly_one_wins(engine):
    stream = new_stream_id()
    both_checked = asyncio.Barrier(2)

    async def writer(n: int):
        async with engine.begin() as conn:
            # both read version 0 before either inserts: the database must decide
            assert await eventstore.stream_version(conn, "test", stream) == 0
            await both_checked.wait()
            await eventstore.append(conn, "test", stream, 0, [event(stream, 1, writer=n)])
        return n

    results = await asyncio.gather(writer(1), writer(2), return_exceptions=True)
    winners = [r for r in results if isinstance(r, int)]
    conflicts = [r for r in results if isinstance(r, ConcurrencyConflict)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    async with engine.connect() as conn:
        stored = await eventstore.read_stream(conn, "test", stream)
    assert [e.payload["writer"] for e in stored] == winners


async def test_events_must_continue_the_stream(engine):
    stream = new_stream_id()
    async with engine.begin() as conn:
        with pytest.raises(ValueError):
            await eventstore.append(conn, "test", stream, 0, [event(stream, 2)])
