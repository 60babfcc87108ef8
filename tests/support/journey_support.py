"""Helpers of the journeys across services (tests/integration): copy a shared topic's new events to a
private one, wait for a fact."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


@contextlib.asynccontextmanager
async def forwarding(bootstrap: str, source: str, target: str):
    """Copy what is published on `source` from now on to `target` (orders then reads only this
    journey's contract events, not the topic's whole history)."""
    consumer = AIOKafkaConsumer(
        source, bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None, auto_offset_reset="latest"
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    async with asyncio.timeout(10):
        while not consumer.assignment():
            await asyncio.sleep(0.05)
    for partition in consumer.assignment():
        await consumer.position(partition)  # fix the start before the journey begins

    async def copy() -> None:
        while True:
            for batch in (await consumer.getmany(timeout_ms=200)).values():
                for r in batch:
                    await producer.send_and_wait(target, r.value, key=r.key, headers=list(r.headers))

    task = asyncio.create_task(copy())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await consumer.stop()
        await producer.stop()


async def until(check, timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():
            await asyncio.sleep(0.1)
