"""Draining a dead-letter topic on the real stack: list why, requeue once, consumers apply once."""

import asyncio

from kit_support import TEST_EVENTS, TallyProjection, event, new_stream_id

from teilhabe_events import encode
from teilhabe_kit.consumer import ConsumerRunner
from teilhabe_kit.dlq import list_dead_letters, requeue
from teilhabe_kit.service import kafka_broker
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.testing import create_topics, publish_raw, read_topic, unique_topic


class FixedProjection(TallyProjection):
    """The same read model after the bug fix: the payload that failed is applied now."""

    async def apply(self, conn, envelope, event):
        await super().apply(conn, envelope, event.model_copy(update={"poison": False}))


async def consume(engine, bootstrap, projection, until):
    broker = kafka_broker(ServiceSettings(service_name="kit-test", kafka_bootstrap_servers=bootstrap))
    ConsumerRunner(broker, engine, projection, max_attempts=1, retry_backoff_seconds=0.01, events=TEST_EVENTS)
    await broker.start()
    try:
        async with asyncio.timeout(60):
            while not await until():
                await asyncio.sleep(0.1)
    finally:
        await broker.stop()


async def test_dead_letters_are_listed_requeued_once_and_applied_after_the_fix(engine, kafka_bootstrap):
    topic = unique_topic("dlq")
    dlq = f"{topic}.dlq"
    await create_topics(kafka_bootstrap, topic, dlq, partitions=2)
    poisoned = event(new_stream_id(), poison=True)
    await publish_raw(kafka_bootstrap, topic, encode(poisoned), key=poisoned.stream_id.encode())
    group = f"tally-{topic}"

    async def dead_lettered():
        return len(await list_dead_letters(kafka_bootstrap, dlq)) == 1

    await consume(engine, kafka_bootstrap, TallyProjection(group, [topic]), dead_lettered)
    (entry,) = await list_dead_letters(kafka_bootstrap, dlq)
    assert entry["event_id"] == str(poisoned.event_id) and entry["event_type"] == "TestHappened"
    assert entry["topic"] == topic and entry["consumer"] == group and "poisoned payload" in entry["error"]

    assert await requeue(kafka_bootstrap, dlq) == 1
    assert await requeue(kafka_bootstrap, dlq) == 0  # nothing new since
    records = await read_topic(kafka_bootstrap, topic, expect=2)
    assert [r.value for r in records] == [encode(poisoned)] * 2
    assert not [k for k, _ in records[1].headers if k.startswith("dlq.")]

    fixed = FixedProjection(group, [topic])

    async def applied():
        async with engine.connect() as conn:
            return poisoned.event_id in await fixed.snapshot(conn)

    await consume(engine, kafka_bootstrap, fixed, applied)
    async with engine.connect() as conn:
        assert (await fixed.snapshot(conn))[poisoned.event_id][1] == 1
    assert len(await list_dead_letters(kafka_bootstrap, dlq)) == 1  # the record of what failed stays
