"""Leadership: of two contenders one leads at a time; when it stops, the other takes over."""

import asyncio
import contextlib

import pytest

from teilhabe_kit.leadership import Leadership, alone

LOCK = 0x7E57_1EAD


async def test_one_leads_at_a_time_and_the_other_takes_over(engine):
    led: list[str] = []
    running: set[str] = set()

    def part(name: str):
        async def lead(until: asyncio.Event) -> None:
            assert not running, f"{name} leads while {running} does"
            running.add(name)
            led.append(name)
            try:
                await until.wait()
            finally:
                running.discard(name)

        return lead

    stops = {name: asyncio.Event() for name in ("a", "b")}
    contenders = {name: Leadership(engine, LOCK, check_seconds=0.2, retry_seconds=0.1) for name in stops}
    a = asyncio.create_task(contenders["a"].run(stops["a"], part("a")))
    try:
        async with asyncio.timeout(10):
            while not contenders["a"].leading:
                await asyncio.sleep(0.02)
        b = asyncio.create_task(contenders["b"].run(stops["b"], part("b")))
        async with asyncio.timeout(10):
            while contenders["b"].attempts < 3:  # b tried and was refused
                await asyncio.sleep(0.02)
        assert led == ["a"] and not contenders["b"].leading
        stops["a"].set()
        await a
        async with asyncio.timeout(10):
            while not contenders["b"].leading:
                await asyncio.sleep(0.02)
        assert led == ["a", "b"] and contenders["b"].terms == 1
        stops["b"].set()
        await b
        assert not running
    finally:
        for stop in stops.values():
            stop.set()
        with contextlib.suppress(Exception):
            await asyncio.gather(a)


async def test_a_round_runs_alone_and_the_lock_is_free_after_it(engine):
    running = asyncio.Event()
    finish = asyncio.Event()

    async def round_() -> str:
        running.set()
        await finish.wait()
        return "done"

    first = asyncio.create_task(alone(engine, LOCK + 1, round_))
    async with asyncio.timeout(10):
        await running.wait()
    assert await alone(engine, LOCK + 1, round_) is None  # skipped: the other replica runs it
    finish.set()
    assert await first == "done"
    assert await alone(engine, LOCK + 1, _answer) == 42  # released for the next round

    async def failing() -> None:
        raise RuntimeError("round failed")

    with pytest.raises(RuntimeError):
        await alone(engine, LOCK + 1, failing)
    assert await alone(engine, LOCK + 1, _answer) == 42


async def _answer() -> int:
    return 42
