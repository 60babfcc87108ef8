"""Rebuild a read model from the start of its topics.

Run it while the projection's live consumers are stopped: it empties the read model and its
tracking rows, then reads every partition of its topics from the beginning up to the end offsets
seen at the start, applying each event once.

A projection that offers ``fold()`` (`teilhabe_kit.bulk`) is rebuilt in bulk: every event folded in
memory, then in ONE transaction the reset, the folded rows (COPY) and the tracking rows of every
event read (COPY), so a live consumer that delivers them again changes nothing. Any other projection
is applied in batches, one transaction per batch (tracking rows inserted together); a batch in
which an event fails is applied again one event per transaction, so only that event is skipped.
Messages that cannot be applied are counted and logged (they already sit in the dead-letter topic
from live consumption).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from teilhabe_events import DomainEvent, EventEnvelope, decode, registry
from teilhabe_events.registry import EventRegistry
from teilhabe_kit.bulk import Fold, TrackingCopy, fact
from teilhabe_kit.consumer import EventApplier, is_infrastructure_failure, read
from teilhabe_kit.progress import Progress
from teilhabe_kit.projection import Projection
from teilhabe_kit.tables import processed_events

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayReport:
    projection: str
    messages: int
    applied: int
    skipped: int


async def topic_partitions(bootstrap_servers: str, topics: Iterable[str]) -> list[TopicPartition]:
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


@runtime_checkable
class BulkProjection(Projection, Protocol):
    """A projection that can be rebuilt by folding in memory (`teilhabe_kit.bulk`)."""

    def fold(self) -> Fold:
        """A fresh, empty fold of this read model."""


async def _replay_in_bulk(
    engine: AsyncEngine, projection: BulkProjection, bootstrap_servers: str, events: EventRegistry
) -> ReplayReport:
    """One transaction, opened before the read: the reset, then the tracking rows streamed into one
    COPY while the topics are read (PostgreSQL parses on the other core), then the folded rows."""
    folding = projection.fold()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        partitions = await topic_partitions(bootstrap_servers, projection.topics)
        async with engine.begin() as conn:
            await projection.reset(conn)
            await conn.execute(delete(processed_events).where(processed_events.c.consumer == projection.name))
            tracking = TrackingCopy(projection.name)
            copying = asyncio.ensure_future(tracking.copy(conn))
            try:
                report = await _fold(consumer, partitions, projection.name, folding, events, tracking)
            finally:
                tracking.close()
                await copying
            await folding.write(conn)
    finally:
        await consumer.stop()
    return report


async def _fold(
    consumer: AIOKafkaConsumer,
    partitions: list[TopicPartition],
    name: str,
    folding: Fold,
    events: EventRegistry,
    tracking: TrackingCopy,
) -> ReplayReport:
    """Read `partitions` to the end offsets seen at the start and fold every event once."""
    messages = applied = skipped = 0
    if not partitions:
        return ReplayReport(name, 0, 0, 0)
    wanted, seen = folding.event_types, set[str]()
    consumer.assign(partitions)
    await consumer.seek_to_beginning(*partitions)
    end = await consumer.end_offsets(partitions)
    start = {tp: await consumer.position(tp) for tp in partitions}
    remaining = {tp for tp in partitions if end[tp] > start[tp]}
    progress = Progress(f"replay {name}", sum(end[tp] - start[tp] for tp in partitions))
    while remaining:
        batches = await consumer.getmany(*remaining, timeout_ms=1000, max_records=10_000)
        for tp, records in batches.items():
            last, fresh = end[tp], []
            for record in records:
                if record.offset >= last:
                    break
                messages += 1
                try:
                    event_id, event = fact(record.value, events, wanted)
                    if event_id in seen:
                        continue
                    if event is not None:
                        folding.add(event)
                    seen.add(event_id)
                    fresh.append(event_id)
                except Exception as error:
                    skipped += 1
                    log.warning("replay skipped %s@%d: %s", tp, record.offset, error)
            applied += len(fresh)
            tracking.add(fresh)
            progress.advance(len(records))
        remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
    progress.finish()
    return ReplayReport(name, messages, applied, skipped)


BATCH = 500
"""Events per transaction: the commit (a WAL flush) no longer costs once per event."""


async def replay(
    engine: AsyncEngine,
    projection: Projection,
    bootstrap_servers: str,
    *,
    batch_size: int = BATCH,
    events: EventRegistry = registry,
) -> ReplayReport:
    """Empty the read model of `projection` and apply its topics again from offset zero (each event
    typed and upcast by `events`, as the live consumer does; folded in bulk when it offers `fold`)."""
    if isinstance(projection, BulkProjection):
        return await _replay_in_bulk(engine, projection, bootstrap_servers, events)
    async with engine.begin() as conn:
        await projection.reset(conn)
        await conn.execute(delete(processed_events).where(processed_events.c.consumer == projection.name))
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None)
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
        start = {tp: await consumer.position(tp) for tp in partitions}
        remaining = {tp for tp in partitions if end[tp] > start[tp]}
        progress = Progress(f"replay {projection.name}", sum(end[tp] - start[tp] for tp in partitions))
        while remaining:
            before = messages
            batches = await consumer.getmany(*remaining, timeout_ms=1000, max_records=batch_size)
            typed: list[tuple[EventEnvelope, DomainEvent]] = []
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= end[tp]:
                        continue
                    messages += 1
                    try:
                        envelope = decode(record.value)
                        typed.append((envelope, read(envelope, events)))
                    except Exception as error:
                        skipped += 1
                        log.warning("replay skipped %s@%d: %s", tp, record.offset, error)
            if typed:
                done, failed = await _apply_batch(engine, applier, typed)
                applied, skipped = applied + done, skipped + failed
            progress.advance(messages - before)
            remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
        progress.finish()
    finally:
        await consumer.stop()
    return ReplayReport(projection.name, messages, applied, skipped)


async def _apply_batch(
    engine: AsyncEngine, applier: EventApplier, typed: list[tuple[EventEnvelope, DomainEvent]]
) -> tuple[int, int]:
    """Apply each envelope once (order kept) in one transaction: (applied, skipped). When one
    fails, the transaction rolls back and the batch goes one event per transaction."""
    name = applier.projection.name
    try:
        async with engine.begin() as conn:
            first_time = set(
                await conn.scalars(
                    insert(processed_events)
                    .values([{"consumer": name, "event_id": e.event_id} for e, _ in typed])
                    .on_conflict_do_nothing()
                    .returning(processed_events.c.event_id)
                )
            )
            applied = 0
            for envelope, event in typed:
                if envelope.event_id in first_time:
                    first_time.discard(envelope.event_id)  # a duplicate within the batch: once
                    await applier.projection.apply(conn, envelope, event)
                    applied += 1
            return applied, 0
    except Exception as error:
        if is_infrastructure_failure(error):
            raise
    applied = skipped = 0
    for envelope, event in typed:
        try:
            applied += await applier.apply_once(envelope, event)
        except Exception as error:
            if is_infrastructure_failure(error):
                raise
            skipped += 1
            log.warning("replay skipped %s (%s): %s", envelope.event_id, envelope.event_type, error)
    return applied, skipped
