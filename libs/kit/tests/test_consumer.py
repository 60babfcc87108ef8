"""Consumer runner and replay on the real stack: duplicates, dead letters, rebuilds."""

import asyncio

import pytest
from aiokafka import AIOKafkaProducer
from kit_support import TEST_EVENTS, BulkTallyProjection, TallyProjection, event, new_stream_id
from sqlalchemy import func, select

from teilhabe_events import encode
from teilhabe_kit.consumer import ConsumerRunner, EventApplier, Outcome
from teilhabe_kit.replay import replay
from teilhabe_kit.service import kafka_broker
from teilhabe_kit.settings import ServiceSettings
from teilhabe_kit.tables import processed_events
from teilhabe_kit.testing import create_topics, publish_raw, read_topic, unique_topic


@pytest.fixture
async def topic(kafka_bootstrap):
    name = unique_topic()
    await create_topics(kafka_bootstrap, name, f"{name}.dlq", partitions=1)
    return name


async def send_all(bootstrap, topic, values):
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value=value, key=b"same-partition")
    finally:
        await producer.stop()


async def run_consumer(engine, bootstrap, projection, until, timeout_s=60):
    broker = kafka_broker(ServiceSettings(service_name="kit-test", kafka_bootstrap_servers=bootstrap))
    ConsumerRunner(broker, engine, projection, max_attempts=2, retry_backoff_seconds=0.01, events=TEST_EVENTS)
    await broker.start()
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                async with engine.connect() as conn:
                    if until(await projection.snapshot(conn)):
                        return
                await asyncio.sleep(0.1)
    finally:
        await broker.stop()


async def test_the_same_message_delivered_twice_changes_the_read_model_once(engine, kafka_bootstrap, topic):
    stream = new_stream_id()
    first, second = event(stream, 1), event(stream, 2)
    await send_all(kafka_bootstrap, topic, [encode(first), encode(first), encode(second)])
    projection = TallyProjection(f"dup-{topic}", [topic])
    await run_consumer(engine, kafka_bootstrap, projection, until=lambda t: second.event_id in t)
    async with engine.connect() as conn:
        tally = await projection.snapshot(conn)
    assert tally == {first.event_id: (stream, 1), second.event_id: (stream, 1)}


async def test_handle_reports_duplicates_directly(engine, kafka_bootstrap, topic):
    """The runner's own verdict on a redelivered record is DUPLICATE, not a second apply."""
    envelope = event(new_stream_id())
    await send_all(kafka_bootstrap, topic, [encode(envelope)])
    record = (await read_topic(kafka_bootstrap, topic, expect=1))[0]
    broker = kafka_broker(ServiceSettings(service_name="kit-test", kafka_bootstrap_servers=kafka_bootstrap))
    runner = ConsumerRunner(broker, engine, TallyProjection(f"direct-{topic}", [topic]), events=TEST_EVENTS)
    assert await runner.handle(record) is Outcome.APPLIED
    assert await runner.handle(record) is Outcome.DUPLICATE


async def test_poison_messages_go_to_the_dlq_and_the_partition_moves_on(engine, kafka_bootstrap, topic):
    stream = new_stream_id()
    good_before, poison, good_after = event(stream, 1), event(stream, 2, poison=True), event(stream, 3)
    await send_all(
        kafka_bootstrap,
        topic,
        [encode(good_before), b"{not an event", encode(poison), encode(good_after)],
    )
    projection = TallyProjection(f"dlq-{topic}", [topic])
    await run_consumer(engine, kafka_bootstrap, projection, until=lambda t: good_after.event_id in t)

    async with engine.connect() as conn:
        assert set(await projection.snapshot(conn)) == {good_before.event_id, good_after.event_id}
    dead = await read_topic(kafka_bootstrap, f"{topic}.dlq", expect=2)
    assert len(dead) == 2
    reasons = [dict(r.headers)["dlq.error"].decode() for r in dead]
    assert reasons[0].startswith("malformed") and dead[0].value == b"{not an event"
    assert "failed 2 times" in reasons[1] and "poisoned payload" in reasons[1]
    assert dead[1].value == encode(poison)
    assert {dict(r.headers)["dlq.topic"].decode() for r in dead} == {topic}
    assert [int(dict(r.headers)["dlq.offset"]) for r in dead] == [1, 2]


async def test_replay_rebuilds_a_read_model_identical_to_the_live_one(engine, kafka_bootstrap, topic):
    events = []
    for _ in range(30):
        stream = new_stream_id()
        events += [event(stream, 1), event(stream, 2)]
    await send_all(kafka_bootstrap, topic, [encode(e) for e in events])
    await publish_raw(kafka_bootstrap, topic, encode(events[0]))  # a duplicate as well
    projection = TallyProjection(f"replay-{topic}", [topic])
    await run_consumer(engine, kafka_bootstrap, projection, until=lambda t: len(t) == len(events))
    async with engine.connect() as conn:
        live = await projection.snapshot(conn)

    report = await replay(engine, projection, kafka_bootstrap, events=TEST_EVENTS)
    async with engine.connect() as conn:
        rebuilt = await projection.snapshot(conn)
    assert rebuilt == live
    assert (report.messages, report.applied, report.skipped) == (len(events) + 1, len(events), 0)


async def test_replay_in_batches_skips_only_what_cannot_be_applied(engine, kafka_bootstrap, topic):
    """A poison event inside a batch rolls the batch back; applied again one by one, only the
    poison (and a malformed message) is skipped, and a redelivered event applies once."""
    stream = new_stream_id()
    good = [event(stream, n) for n in range(1, 8)]
    values = (
        [encode(e) for e in good[:3]]
        + [encode(event(stream, 9, poison=True)), encode(good[1]), b"{not an event"]
        + [encode(e) for e in good[3:]]
    )
    await send_all(kafka_bootstrap, topic, values)
    projection = TallyProjection(f"batch-{topic}", [topic])

    report = await replay(engine, projection, kafka_bootstrap, batch_size=4, events=TEST_EVENTS)

    async with engine.connect() as conn:
        assert await projection.snapshot(conn) == {e.event_id: (stream, 1) for e in good}
    assert (report.messages, report.applied, report.skipped) == (len(values), len(good), 2)


async def test_bulk_replay_folds_in_memory_and_equals_the_live_read_model(engine, kafka_bootstrap, topic):
    """A projection with `fold()` is rebuilt in one transaction with COPY: same rows as live
    consumption, a redelivered event once, poison and malformed messages skipped, and a tracking row
    for every event read, so the live consumer's redeliveries change nothing."""
    stream = new_stream_id()
    good = [event(stream, n) for n in range(1, 8)]
    values = (
        [encode(e) for e in good[:3]]
        + [encode(event(stream, 9, poison=True)), encode(good[1]), b"{not an event"]
        + [encode(e) for e in good[3:]]
    )
    await send_all(kafka_bootstrap, topic, values)
    projection = BulkTallyProjection(f"bulk-{topic}", [topic])
    await run_consumer(engine, kafka_bootstrap, projection, until=lambda t: len(t) == len(good))
    async with engine.connect() as conn:
        live = await projection.snapshot(conn)

    report = await replay(engine, projection, kafka_bootstrap, events=TEST_EVENTS)

    async with engine.connect() as conn:
        assert await projection.snapshot(conn) == live == {e.event_id: (stream, 1) for e in good}
        tracked = await conn.scalar(
            select(func.count()).select_from(processed_events).where(processed_events.c.consumer == projection.name)
        )
    assert (report.messages, report.applied, report.skipped) == (len(values), len(good), 2)
    assert tracked == len(good)
    redelivered = [await EventApplier(engine, projection).apply_once(e, TEST_EVENTS.load(e)) for e in good]
    assert redelivered == [False] * len(good)


class UnreachableAtFirst(TallyProjection):
    """Like a projection that asks another service: the first `failures` calls find it down."""

    def __init__(self, name: str, topics: list[str], failures: int) -> None:
        super().__init__(name, topics)
        self.failures = failures
        self.calls: list[float] = []

    async def apply(self, conn, envelope, event) -> None:
        self.calls.append(asyncio.get_running_loop().time())
        if len(self.calls) <= self.failures:
            raise ConnectionError("contracts unreachable: ConnectError")
        await super().apply(conn, envelope, event)


async def test_an_unreachable_dependency_is_retried_with_exponential_capped_backoff(
    engine, kafka_bootstrap, topic, caplog
):
    """Regression: identity's interested-person consumer retried every 0.2 s with a traceback
    each time while contracts was down. Now the waits double up to a cap, each retry is one warning
    line, and the event is applied once the dependency answers again."""
    envelope = event(new_stream_id())
    await send_all(kafka_bootstrap, topic, [encode(envelope)])
    projection = UnreachableAtFirst(f"backoff-{topic}", [topic], failures=5)
    broker = kafka_broker(ServiceSettings(service_name="kit-test", kafka_bootstrap_servers=kafka_bootstrap))
    runner = ConsumerRunner(
        broker, engine, projection, retry_backoff_seconds=0.1, max_backoff_seconds=0.5, events=TEST_EVENTS
    )
    await broker.start()
    try:
        async with asyncio.timeout(60):
            while True:
                async with engine.connect() as conn:
                    if envelope.event_id in await projection.snapshot(conn):
                        break
                await asyncio.sleep(0.1)
    finally:
        await broker.stop()
    gaps = [round(b - a, 2) for a, b in zip(projection.calls, projection.calls[1:])]
    assert len(projection.calls) == 6
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4  # doubling
    assert all(0.5 <= gap < 1.5 for gap in gaps[3:])  # capped
    assert runner.next_backoff() == 0.1  # success resets the backoff
    retries = [r for r in caplog.records if "dependency unavailable" in r.getMessage()]
    assert len(retries) == 5 and all(r.exc_info is None for r in retries)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
