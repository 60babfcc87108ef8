"""Replay: rebuild every service's read models, events/s beside a raw read of the same source.

What each service's rebuild does (and what it is compared with, same run):
- matching (`matching.replay.rebuild`): identity's, orders' and its own topic from Kafka, folded in
  memory (identity's partitions shared among processes), written with COPY — vs a raw aiokafka consumer reading the same topics to the end;
- messaging (`messaging.replay`, the kit's `replay`): identity, orders and matching topics, 500
  events per transaction — vs raw aiokafka consume of the same topics;
- orders' account directory (`orders.replay --directory`, the kit's `replay` in bulk: fold in
  memory, COPY): identity's topic — vs raw aiokafka consume of that topic;
- orders' views, contracts' views (`orders.replay --views`, `contracts.replay`) and identity's
  read model (`identity.replay`): from the service's own event store, not from Kafka, folded in
  memory and written with COPY — vs a raw asyncpg read of the same event rows.
Kafka sources: a generated region (matching_region) on private topics; event stores: a copy of
the local databases' event stores (whatever the platform and its demo data recorded) in fresh
databases. Nothing is rebuilt in a database a running service uses.

Usage: uv run python bench/replay_bench.py [--quick|--smoke]  (local stack up)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import tempfile
import time
import uuid

import asyncpg
import matching_region as region
from aiokafka import AIOKafkaConsumer
from benchlib import add_size_options, progress, row, save, size_of
from region_platform import BOOTSTRAP, create_topics, delete_topics, fresh_database, produce

from teilhabe_kit.db import create_engine
from teilhabe_kit.migrations import database_url_for
from teilhabe_kit.replay import replay, topic_partitions

SIZES = {
    "full": {"assistants": 20_000, "seekers": 20_000, "orders": 20_000},
    "quick": {"assistants": 3_000, "seekers": 3_000, "orders": 3_000},
    "smoke": {"assistants": 100, "seekers": 100, "orders": 100},
}


def _pg(url: str) -> str:
    return url.replace("postgresql+asyncpg", "postgresql")


async def raw_consume(topics: list[str]) -> float:
    """Records/s of a bare aiokafka consumer reading `topics` from the beginning to the end."""
    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, group_id=None, enable_auto_commit=False)
    partitions = await topic_partitions(BOOTSTRAP, topics)
    await consumer.start()
    try:
        started = time.perf_counter()
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        count, remaining = 0, {tp for tp in partitions if end[tp] > 0}
        while remaining:
            for tp, records in (await consumer.getmany(*remaining, timeout_ms=1000)).items():
                count += sum(1 for r in records if r.offset < end[tp])
            remaining = {tp for tp in remaining if await consumer.position(tp) < end[tp]}
        return count / (time.perf_counter() - started)
    finally:
        await consumer.stop()


async def timed(make) -> tuple[object, float]:
    started = time.perf_counter()
    result = await make()
    return result, time.perf_counter() - started


async def kafka_rebuilds(sizes: dict) -> list[dict]:
    from matching.replay import rebuild as matching_rebuild
    from matching.settings import Settings as MatchingSettings
    from messaging.app.storage import FileStore
    from messaging.consumers.events import MessagingProjection
    from orders.consumers.identity import AccountDirectory

    rng = random.Random(5)
    tag = uuid.uuid4().hex[:8]
    topics = {name: f"bench.{tag}.{name}.v1" for name in ("identity", "orders", "matching")}
    await create_topics(list(topics.values()))
    try:
        sent = await produce(
            [
                (topics["identity"], region.assistant_events(region.assistant(rng, n)))
                for n in range(sizes["assistants"])
            ]
            + [(topics["identity"], region.seeker_events(rng, n)) for n in range(sizes["seekers"])]
            + [(topics["orders"], region.order_events(rng, n)) for n in range(sizes["orders"])]
        )
        progress(f"region: {sent:,} events on private topics")
        everything, identity = list(topics.values()), [topics["identity"]]
        results = []

        matching_url = await fresh_database("matching_bench_replay", "matching")
        settings = MatchingSettings(
            database_url=matching_url,
            identity_topic=topics["identity"],
            orders_topic=topics["orders"],
            output_topic=topics["matching"],
            consumer_group=f"bench-{tag}-matching",
        )
        engine = create_engine(matching_url)
        try:
            raw = await raw_consume(everything)
            report = await matching_rebuild(settings, engine, move_consumer_group=False)
        finally:
            await engine.dispose()
        results.append(
            _kafka(
                "matching",
                "Kafka: identity + orders + own topic; fold in memory, COPY",
                report.events,
                report.seconds,
                raw,
            )
        )

        messaging_url = await fresh_database("messaging_bench_replay", "messaging")
        engine = create_engine(messaging_url)
        try:
            with tempfile.TemporaryDirectory() as files:
                projection = MessagingProjection(FileStore(files), name=f"bench-{tag}-messaging", topics=everything)
                raw = await raw_consume(everything)
                report, seconds = await timed(lambda: replay(engine, projection, BOOTSTRAP))
        finally:
            await engine.dispose()
        results.append(
            _kafka(
                "messaging",
                "Kafka: identity + orders + matching topics; kit replay, 500 events per transaction",
                report.messages,
                seconds,
                raw,
            )
        )

        orders_url = await fresh_database("orders_bench_replay", "orders")
        engine = create_engine(orders_url)
        try:
            raw = await raw_consume(identity)
            directory = AccountDirectory(topics["identity"], f"bench-{tag}-orders")
            report, seconds = await timed(lambda: replay(engine, directory, BOOTSTRAP))
        finally:
            await engine.dispose()
        results.append(
            _kafka(
                "orders directory",
                "Kafka: identity topic; kit replay in bulk: fold in memory, COPY",
                report.messages,
                seconds,
                raw,
            )
        )
        return results
    finally:
        await delete_topics(list(topics.values()))


def _kafka(name: str, how: str, events: int, seconds: float, raw: float) -> dict:
    rate = events / seconds
    progress(f"{name}: {events:,} events at {rate:,.0f}/s; raw consume {raw:,.0f}/s")
    return {
        "read_model": name,
        "how": how,
        "events": events,
        "events_per_s": round(rate),
        "baseline": "raw aiokafka consume, same topics",
        "baseline_per_s": round(raw),
    }


def _known_types(service: str) -> set[str] | None:
    """The event types this checkout's `service` reads from its store (None: it reads any)."""
    if service == "identity":
        from identity.domain.events import EVENTS

        return set(EVENTS)
    return None


async def copied_event_store(service: str) -> str:
    """A fresh database with `service`'s tables and a copy of its local event store (and keys).
    The local store is shared by the checkouts of several engineers: events of types this
    checkout does not know yet (another branch's) are left out of the copy."""
    url = await fresh_database(f"{service}_bench_replay", service)
    source = await asyncpg.connect(_pg(database_url_for(service)))
    target = await asyncpg.connect(_pg(url))
    try:
        for table in ("person_keys", "event_store"):
            buffer = io.BytesIO()
            await source.copy_from_table(table, output=buffer)
            buffer.seek(0)
            await target.copy_to_table(table, source=buffer)
        if (known := _known_types(service)) is not None:
            left_out = await target.execute(
                "DELETE FROM event_store WHERE NOT event_type = ANY($1::text[])", list(known)
            )
            progress(f"{service}: {left_out.split()[-1]} events of types this checkout does not know left out")
    finally:
        await source.close()
        await target.close()
    return url


async def raw_read(url: str) -> tuple[int, float]:
    conn = await asyncpg.connect(_pg(url))
    try:
        started = time.perf_counter()
        count = 0
        async with conn.transaction():
            async for _ in conn.cursor("SELECT * FROM event_store ORDER BY position", prefetch=1000):
                count += 1
        return count, count / (time.perf_counter() - started)
    finally:
        await conn.close()


async def store_rebuilds() -> list[dict]:
    from contracts.replay import rebuild as contracts_rebuild
    from identity.replay import rebuild as identity_rebuild
    from orders.replay import rebuild_views

    async def in_transaction(engine, rebuild):
        async with engine.begin() as conn:
            return await rebuild(conn)

    runs = {
        "orders views": ("orders", lambda engine: in_transaction(engine, rebuild_views), lambda r: r.events),
        "contracts views": ("contracts", lambda engine: in_transaction(engine, contracts_rebuild), lambda r: r.events),
        "identity read model": ("identity", identity_rebuild, lambda r: r),
    }
    results = []
    for name, (service, rebuild, events_of) in runs.items():
        url = await copied_event_store(service)
        engine = create_engine(url)
        try:
            stored, raw = await raw_read(url)
            report, seconds = await timed(lambda: rebuild(engine))
        finally:
            await engine.dispose()
        events = events_of(report)
        progress(f"{name}: {events:,} of {stored:,} stored events at {events / seconds:,.0f}/s; raw read {raw:,.0f}/s")
        results.append(
            {
                "read_model": name,
                "how": "own event store; fold in memory, COPY, one transaction",
                "events": events,
                "stored_events": stored,
                "events_per_s": round(events / seconds),
                "baseline": "raw asyncpg read of the same event rows",
                "baseline_per_s": round(raw),
            }
        )
    return results


async def main(size: str) -> None:
    sizes = SIZES[size]
    results = await kafka_rebuilds(sizes) + await store_rebuilds()
    table = [
        row(
            f"rebuild {r['read_model']}, {r['events']:,} events ({r['how']}; baseline: {r['baseline']})",
            r["events_per_s"],
            r["baseline_per_s"],
            unit="events/s",
        )
        for r in results
    ]
    save("replay", {"sizes": sizes, "rebuilds": results, "table": table})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    add_size_options(parser)
    asyncio.run(main(size_of(parser.parse_args())))
