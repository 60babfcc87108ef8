"""The smallest useful analytics consumer: counts Teilhabe's public events per type.

    python docs/analytics/example_consumer.py --bootstrap kafka:9092 --group analytics-demo \\
        orders.order.v1 identity.account.v1

It reads the topics from the beginning up to their current end with its own consumer group,
turns each message into a typed, current-version event (`teilhabe_events.registry.load`, which
lifts old schema versions through the upcasters) and commits its offsets after each batch. Events
newer than the installed `teilhabe-events` are counted as ``unknown:<type>`` instead of failing:
upgrade the library to read them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter

from aiokafka import AIOKafkaConsumer

import teilhabe_events.contexts  # noqa: F401  (registers every public event)
from teilhabe_events import MalformedEvent, UnknownEventType, decode, registry


def count(counts: Counter, value: bytes) -> None:
    try:
        envelope = decode(value)
    except MalformedEvent:
        counts["malformed"] += 1
        return
    try:
        registry.load(envelope)  # the typed payload: use its fields for your figures
    except UnknownEventType:
        counts[f"unknown:{envelope.event_type}"] += 1
        return
    counts[envelope.event_type] += 1


async def count_events(bootstrap: str, topics: list[str], group: str) -> Counter:
    """Events per type in `topics`, from this group's position to the end seen at the start."""
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    counts: Counter = Counter()
    await consumer.start()
    try:
        end: dict = {}
        while not end or [tp for tp in end if await consumer.position(tp) < end[tp]]:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                for record in batch:
                    count(counts, record.value)
            await consumer.commit()
            if not end and consumer.assignment():
                end = await consumer.end_offsets(list(consumer.assignment()))
    finally:
        await consumer.stop()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description="Count Teilhabe events per type")
    parser.add_argument("topics", nargs="+")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--group", default="analytics-example")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(count_events(args.bootstrap, args.topics, args.group)), indent=2))


if __name__ == "__main__":
    main()
