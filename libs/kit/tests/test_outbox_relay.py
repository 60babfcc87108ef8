"""Outbox relay on the real stack: late commits, crashes between send and mark, kill -9."""

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from kit_support import TEST_EVENTS, TallyProjection, event, new_stream_id
from sqlalchemy import func, select

from teilhabe_events import decode
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.consumer import ConsumerRunner
from teilhabe_kit.outbox import OutboxRelay, idempotent_producer
from teilhabe_kit.service import kafka_broker
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.tables import outbox as outbox_table
from teilhabe_kit.testing import consumed, create_topics, read_topic, unique_topic

pytestmark = pytest.mark.usefixtures("clean_outbox")


async def append_and_record(conn, topic, count=1):
    stream = new_stream_id()
    events = [event(stream, v, n=v) for v in range(1, count + 1)]
    await eventstore.append(conn, "test", stream, 0, events)
    await outbox.record(conn, topic, events)
    return events


@pytest.fixture
async def producer(kafka_bootstrap):
    producer = idempotent_producer(kafka_bootstrap)
    await producer.start()
    yield producer
    await producer.stop()


async def test_relay_publishes_an_event_whose_transaction_committed_after_a_later_one(
    engine, producer, kafka_bootstrap
):
    topic = unique_topic()
    await create_topics(kafka_bootstrap, topic)
    relay = OutboxRelay(engine, producer)

    slow = await engine.connect()
    slow_tx = await slow.begin()
    early = await append_and_record(slow, topic)  # gets the lower outbox id, commits last
    async with engine.begin() as conn:
        late = await append_and_record(conn, topic)
    assert await relay.publish_pending() == 1  # only the committed, higher-numbered row
    await slow_tx.commit()
    await slow.close()
    assert await relay.publish_pending() == 1  # the lower-numbered row is not skipped

    records = await read_topic(kafka_bootstrap, topic, expect=2)
    published = {decode(r.value).event_id for r in records}
    assert published == {early[0].event_id, late[0].event_id}
    async with engine.connect() as conn:
        assert await outbox.pending_count(conn) == 0


async def test_relay_keys_by_stream_and_keeps_stream_order(engine, producer, kafka_bootstrap):
    topic = unique_topic()
    await create_topics(kafka_bootstrap, topic)
    async with engine.begin() as conn:
        events = await append_and_record(conn, topic, count=20)
    await OutboxRelay(engine, producer).publish_pending()
    records = await read_topic(kafka_bootstrap, topic, expect=20)
    assert {r.key.decode() for r in records} == {events[0].stream_id}
    assert [decode(r.value).stream_version for r in records] == list(range(1, 21))


async def test_crash_between_send_and_mark_resends_and_consumer_applies_once(
    engine, producer, kafka_bootstrap, monkeypatch
):
    topic = unique_topic()
    await create_topics(kafka_bootstrap, topic)
    async with engine.begin() as conn:
        events = await append_and_record(conn, topic, count=5)
    relay = OutboxRelay(engine, producer)

    original_update = outbox.update

    def crash(*args, **kwargs):
        raise RuntimeError("relay died after sending, before marking")

    monkeypatch.setattr(outbox, "update", crash)
    with pytest.raises(RuntimeError):
        await relay.publish_pending()
    monkeypatch.setattr(outbox, "update", original_update)
    assert await relay.publish_pending() == 5

    records = await read_topic(kafka_bootstrap, topic, expect=10)
    assert len(records) == 10  # every event twice on the topic
    projection = TallyProjection(f"crash-{topic}", [topic])
    await consume_until(engine, kafka_bootstrap, projection, expected=5)
    async with engine.connect() as conn:
        tally = await projection.snapshot(conn)
    assert set(tally) == {e.event_id for e in events}
    assert all(times == 1 for _, times in tally.values())


async def consume_until(engine, bootstrap, projection, expected, timeout_s=180):
    broker = kafka_broker(ServiceSettings(service_name="kit-test", kafka_bootstrap_servers=bootstrap))
    ConsumerRunner(broker, engine, projection, retry_backoff_seconds=0.01, events=TEST_EVENTS)
    await broker.start()
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                async with engine.connect() as conn:
                    if len(await projection.snapshot(conn)) >= expected:
                        break
                await asyncio.sleep(0.1)
        for topic in projection.topics:  # every message handled (a redelivery too) before the caller counts
            await consumed(bootstrap, projection.name, topic)
    finally:
        await broker.stop()


async def test_relay_killed_mid_batch_then_restarted_publishes_everything(engine, kafka_bootstrap, kit_database_url):
    topic = unique_topic()
    await create_topics(kafka_bootstrap, topic)
    total = 3000
    async with engine.begin() as conn:
        events = []
        for _ in range(total // 10):
            events += await append_and_record(conn, topic, count=10)

    def start_relay():
        return subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("relay_process.py")), kit_database_url, kafka_bootstrap],
            stdout=subprocess.PIPE,
            env=os.environ.copy(),
        )

    async def published() -> int:
        async with engine.connect() as conn:
            return int(
                await conn.scalar(
                    select(func.count()).select_from(outbox_table).where(outbox_table.c.published_at.is_not(None))
                )
            )

    relay = start_relay()
    try:
        async with asyncio.timeout(60):
            while await published() == 0:
                await asyncio.sleep(0.005)
        relay.send_signal(signal.SIGKILL)
        relay.wait()
        at_kill = await published()
        assert 0 < at_kill < total, f"the kill must land mid-stream (published {at_kill}/{total})"
        relay = start_relay()
        async with asyncio.timeout(120):
            while await published() < total:
                await asyncio.sleep(0.1)
    finally:
        relay.kill()
        relay.wait()

    records = await read_topic(kafka_bootstrap, topic, expect=total)
    assert {decode(r.value).event_id for r in records} == {e.event_id for e in events}
    projection = TallyProjection(f"kill-{topic}", [topic])
    await consume_until(engine, kafka_bootstrap, projection, expected=total)
    async with engine.connect() as conn:
        tally = await projection.snapshot(conn)
    assert len(tally) == total and all(times == 1 for _, times in tally.values())


async def test_running_relay_wakes_on_commit_instead_of_waiting_for_its_poll(engine, producer, kafka_bootstrap):
    topic = unique_topic()
    await create_topics(kafka_bootstrap, topic)
    stop = asyncio.Event()
    relay_task = asyncio.create_task(OutboxRelay(engine, producer, poll_seconds=30).run(stop))
    try:
        await asyncio.sleep(0.5)  # the relay is idle, listening
        started = asyncio.get_running_loop().time()
        async with engine.begin() as conn:
            await append_and_record(conn, topic)
        await read_topic(kafka_bootstrap, topic, expect=1, timeout_s=10)
        assert asyncio.get_running_loop().time() - started < 5  # far below the 30 s poll
    finally:
        stop.set()
        await relay_task


async def test_two_relays_never_publish_a_stream_out_of_order(engine, kafka_bootstrap):
    """Two replicas' relays run side by side while events are appended: every stream arrives whole,
    once each, in version order (the round lock lets one relay publish at a time)."""
    topic = unique_topic()
    await create_topics(kafka_bootstrap, topic)
    streams = [new_stream_id() for _ in range(4)]
    versions = 15
    stop = asyncio.Event()
    producers = [idempotent_producer(kafka_bootstrap, linger_ms=0) for _ in range(2)]
    for p in producers:
        await p.start()
    relays = [asyncio.create_task(OutboxRelay(engine, p, batch_size=7, poll_seconds=0.02).run(stop)) for p in producers]
    try:
        for version in range(1, versions + 1):
            for stream in streams:  # one transaction per event: the relays' rounds fall between them
                async with engine.begin() as conn:
                    events = [event(stream, version, n=version)]
                    await eventstore.append(conn, "test", stream, version - 1, events)
                    await outbox.record(conn, topic, events)
        records = await read_topic(kafka_bootstrap, topic, expect=versions * len(streams))
    finally:
        stop.set()
        await asyncio.gather(*relays)
        for p in producers:
            await p.stop()
    by_stream: dict[str, list[int]] = {}
    for record in records:
        by_stream.setdefault(record.key.decode(), []).append(decode(record.value).stream_version)
    assert by_stream == {stream: list(range(1, versions + 1)) for stream in streams}
