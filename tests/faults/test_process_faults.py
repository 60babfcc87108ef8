"""Kill -9 a consumer and the outbox relay mid-stream, stop the broker and restart PostgreSQL under
load: afterwards every stored event was published and applied exactly once, and nothing was
half-written. Read models are compared with the event store (DESIGN.md §10)."""

import asyncio
import uuid

import httpx
from faults_support import FAULT_ENV, counts, post_events, stack, wait_until

from teilhabe_kit.testing import create_topics


def new_topic() -> str:
    return f"faults.{uuid.uuid4().hex[:10]}.v1"


async def settled(engine, total: int, timeout_s: float = 120) -> dict[str, int]:
    async def done():
        c = await counts(engine)
        return c["published"] == total and c["applied"] == total

    await wait_until(done, timeout_s, f"{total} events published and applied")
    return await counts(engine)


async def test_consumer_killed_mid_stream_loses_and_doubles_nothing(clean_fault_db, toy_processes):
    engine, topic, total = clean_fault_db, new_topic(), 400
    await create_topics(FAULT_ENV["KAFKA_BOOTSTRAP_SERVERS"], topic)
    writer = toy_processes(topic, api=True, consumers=False, relay=True)
    consumer = toy_processes(topic, api=False, consumers=True, relay=False)
    async with httpx.AsyncClient(base_url=writer.url, timeout=10) as client:
        load = asyncio.create_task(post_events(client, total, pause_s=0.01))
        await wait_until(lambda: _applied_at_least(engine, 50), 60, "first events applied")
        consumer.kill9()
        assert (await counts(engine))["applied"] < total, "the kill must land mid-stream"
        toy_processes(topic, api=False, consumers=True, relay=False)
        assert (await load)["created"] == total
    final = await settled(engine, total)
    assert final == {"events": total, "outbox": total, "published": total, "applied": total, "doubled": 0}


async def test_relay_killed_mid_batch_publishes_everything_after_restart(clean_fault_db, toy_processes):
    engine, topic, total = clean_fault_db, new_topic(), 1500
    await create_topics(FAULT_ENV["KAFKA_BOOTSTRAP_SERVERS"], topic)
    api = toy_processes(topic, api=True, consumers=False, relay=False)
    async with httpx.AsyncClient(base_url=api.url, timeout=10) as client:
        await asyncio.gather(*(client.post("/append", json={"events": 10}) for _ in range(total // 10)))
    assert (await counts(engine))["outbox"] == total
    relay = toy_processes(topic, api=False, consumers=False, relay=True, RELAY_BATCH_SIZE="10")

    async def some_published():
        return (await counts(engine))["published"] > 0

    await wait_until(some_published, 60, "relay started publishing", every_s=0.005)
    relay.kill9()
    assert 0 < (await counts(engine))["published"] < total, "the kill must land mid-stream"
    toy_processes(topic, api=False, consumers=False, relay=True)
    toy_processes(topic, api=False, consumers=True, relay=False)
    final = await settled(engine, total)
    assert final["doubled"] == 0 and final["applied"] == total


async def test_broker_stopped_under_load_recovers_without_loss(clean_fault_db, toy_processes):
    engine, topic, total = clean_fault_db, new_topic(), 300
    await create_topics(FAULT_ENV["KAFKA_BOOTSTRAP_SERVERS"], topic)
    writer = toy_processes(topic, api=True, consumers=False, relay=True)
    toy_processes(topic, api=False, consumers=True, relay=False)
    async with httpx.AsyncClient(base_url=writer.url, timeout=10) as client:
        first = await post_events(client, total // 3)
        await asyncio.to_thread(stack, "down", "kafka")
        during = await post_events(client, total // 3)  # the outbox takes writes without a broker
        await asyncio.to_thread(stack, "up", "kafka")
        after = await post_events(client, total - 2 * (total // 3))
    assert first["created"] + during["created"] + after["created"] == total
    final = await settled(engine, total, timeout_s=180)
    assert final["doubled"] == 0 and final["events"] == total


async def test_postgres_restarted_under_load_fails_cleanly_and_recovers(clean_fault_db, toy_processes):
    engine, topic = clean_fault_db, new_topic()
    await create_topics(FAULT_ENV["KAFKA_BOOTSTRAP_SERVERS"], topic)
    writer = toy_processes(topic, api=True, consumers=True, relay=True)
    async with httpx.AsyncClient(base_url=writer.url, timeout=10) as client:
        before = await post_events(client, 50)
        await asyncio.to_thread(stack, "down", "postgres")
        during = await post_events(client, 20, pause_s=0.05)
        await asyncio.to_thread(stack, "up", "postgres")
        after = await post_events(client, 50, pause_s=0.01)
    assert during["unavailable"] > 0 and during["created"] == 0
    assert before["other"] == during["other"] == 0  # 503 problem+json, never a 500
    assert after["created"] >= 45  # at most a few requests meet a dead pooled connection
    await engine.dispose()  # our own pool saw the restart as well
    created = before["created"] + after["created"]
    final = await settled(engine, created, timeout_s=180)
    assert final["events"] == final["outbox"] == created, "no partial writes"
    assert final["doubled"] == 0


async def _applied_at_least(engine, n: int) -> bool:
    return (await counts(engine))["applied"] >= n
