"""Rebuild a read model from the start of its topics.

Run it while the projection's live consumers are stopped: it empties the read model and its
tracking rows, then reads every partition of its topics from the beginning up to the end offsets
seen at the start, applying each event once. Messages that cannot be applied are counted and
logged (they already sit in the dead-letter topic from live consumption).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine
from teilhabe_events import decode

from teilhabe_kit.consumer import EventApplier, is_infrastructure_failure
from teilhabe_kit.projection import Projection
from teilhabe_kit.tables import processed_events

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayReport:
    projection: str
    messages: int
    applied: int
    skipped: int


async def topic_partitions(bootstrap_servers: str, topics) -> list[TopicPartition]:
    """Every existing partition of `topics`, in partition order."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], partition["partition"])
        for topic in described
        if topic["error_code"] == 0
        for partition in sorted(topic["partitions"], key=lambda p: p["partition"])
    ]


async def replay(engine: AsyncEngine, projection: Projection, bootstrap_servers: str) -> ReplayReport:
    """Empty the read model of `projection` and apply its topics again from offset zero."""
    async with engine.begin() as conn:
        await projection.reset(conn)
        await conn.execute(delete(processed_events).where(processed_events.c.consumer == projection.name))
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    applier = EventApplier(engine, projection)
    messages = applied = skipped = 0
    try:
        partitions = await topic_partitions(bootstrap_servers, projection.topics)
        if not partitions:
            return ReplayReport(projection.name, 0, 0, 0)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if end[tp] > await consumer.position(tp)}
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= end[tp]:
                        continue
                    messages += 1
                    try:
                        applied += await applier.apply_once(decode(record.value))
                    except Exception as error:
                        if is_infrastructure_failure(error):
                            raise
                        skipped += 1
                        log.warning("replay skipped %s@%d: %s", tp, record.offset, error)
            remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
    finally:
        await consumer.stop()
    return ReplayReport(projection.name, messages, applied, skipped)
