"""Dead letters: see why messages failed, and send them back to their topic once the cause is fixed.

    python -m teilhabe_kit.dlq list orders.order.v1.dlq      # one JSON line per dead letter
    python -m teilhabe_kit.dlq requeue orders.order.v1.dlq   # re-publish to orders.order.v1

Re-publishing is safe: consumers record each event id with their read-model change, so a consumer
that applied the event before skips it. `requeue` keeps its place in the consumer group
``teilhabe-dlq-requeue`` and commits it only after the broker acknowledged every re-sent message:
a second run sends only what arrived since; a crash in between may send a message twice, which the
consumers absorb. Nothing is deleted from the dead-letter topic (it is the record of what failed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import AsyncIterator

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from teilhabe_events import MalformedEvent, decode
from teilhabe_kit.outbox import idempotent_producer

REQUEUE_GROUP = "teilhabe-dlq-requeue"
DLQ_HEADER_PREFIX = "dlq."


def _headers(record: ConsumerRecord) -> dict[str, str]:
    return {k: v.decode(errors="replace") for k, v in (record.headers or ())}


async def _partitions(bootstrap: str, topic: str, *, attempts: int = 20) -> list[TopicPartition]:
    """The topic's partitions; waits out a leader election (metadata with an error, no partitions)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        for _ in range(attempts):
            (described,) = await admin.describe_topics([topic])
            if described["error_code"] == 0 and described["partitions"]:
                return [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
            await asyncio.sleep(0.5)
    finally:
        await admin.close()
    raise LookupError(f"topic {topic}: no partition metadata (error {described['error_code']})")


async def _records(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition], *, resume: bool
) -> AsyncIterator[ConsumerRecord]:
    """Records up to the end offsets seen now, from the group's place (`resume`) or the beginning."""
    consumer.assign(partitions)
    end = await consumer.end_offsets(partitions)
    for tp in partitions:
        committed = await consumer.committed(tp) if resume else None
        if committed is None:
            await consumer.seek_to_beginning(tp)
        else:
            consumer.seek(tp, committed)
    while [tp for tp in partitions if await consumer.position(tp) < end[tp]]:
        for tp, batch in (await consumer.getmany(*partitions, timeout_ms=500)).items():
            for record in batch:
                if record.offset < end[tp]:
                    yield record


def describe(record: ConsumerRecord) -> dict[str, object]:
    """What an operator needs to judge a dead letter (ids and the reason, no payload)."""
    headers = _headers(record)
    try:
        envelope = decode(record.value)
        event: dict[str, str | None] = {"event_id": str(envelope.event_id), "event_type": envelope.event_type}
    except MalformedEvent:
        event = {"event_id": None, "event_type": headers.get("event_type")}
    return {
        "partition": record.partition,
        "offset": record.offset,
        **event,
        "topic": headers.get("dlq.topic"),
        "consumer": headers.get("dlq.consumer"),
        "error": headers.get("dlq.error"),
    }


async def list_dead_letters(bootstrap: str, dlq: str) -> list[dict[str, object]]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        return [describe(r) async for r in _records(consumer, await _partitions(bootstrap, dlq), resume=False)]
    finally:
        await consumer.stop()


async def requeue(bootstrap: str, dlq: str, *, group: str = REQUEUE_GROUP) -> int:
    """Re-publish the dead letters not yet requeued to their original topic; returns how many."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False, auto_offset_reset="earliest"
    )
    producer = idempotent_producer(bootstrap)
    await consumer.start()
    await producer.start()
    try:
        partitions = await _partitions(bootstrap, dlq)
        deliveries = []
        async for record in _records(consumer, partitions, resume=True):
            headers = _headers(record)
            original = {k: v for k, v in headers.items() if not k.startswith(DLQ_HEADER_PREFIX)}
            deliveries.append(
                await producer.send(
                    headers["dlq.topic"],
                    value=record.value,
                    key=record.key,
                    headers=[(k, v.encode()) for k, v in original.items()],
                )
            )
        await asyncio.gather(*deliveries)
        await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
        return len(deliveries)
    finally:
        await producer.stop()
        await consumer.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="List or requeue the messages of a dead-letter topic")
    parser.add_argument("action", choices=["list", "requeue"])
    parser.add_argument("topic", help="the dead-letter topic, e.g. orders.order.v1.dlq")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
    args = parser.parse_args(argv)
    if not args.topic.endswith(".dlq"):
        parser.error("name the dead-letter topic (<topic>.dlq)")
    if args.action == "list":
        for entry in asyncio.run(list_dead_letters(args.bootstrap, args.topic)):
            print(json.dumps(entry, ensure_ascii=False))
    else:
        print(json.dumps({"requeued": asyncio.run(requeue(args.bootstrap, args.topic))}))


if __name__ == "__main__":
    main()
