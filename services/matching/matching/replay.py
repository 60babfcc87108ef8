"""Rebuild matching's tables from Kafka: ``python -m matching.replay`` (stop the live consumers first).

Reads identity's and orders' topics (the projection) and matching's own topic (the requests it
sent and closed, so nothing is decided or sent again) from the beginning up to the end offsets
seen at the start, folds every event in memory with the same `evolve_*` functions the live
projection uses (`matching.fold`; identity's partitions shared among worker processes), then
replaces the tables in one transaction (COPY) and moves the live consumer group to those end
offsets. Much faster than one transaction per event (`teilhabe_kit.replay`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import sys
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field, replace
from itertools import islice

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import Boolean, Table, delete, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from matching.copy_format import array_literal
from matching.fold import ASSISTANT_COLUMNS, Folded, Topics, assistant_text, fold, no_cyclic_gc, schema_versions
from matching.readmodels.store import numbering, order_row
from matching.readmodels.tables import (
    answers,
    assistants,
    awards,
    ended_awards,
    metadata,
    orders,
    removed_assistants,
    requests,
)
from matching.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.outbox import OutboxRelay, idempotent_producer
from teilhabe_kit.replay import topic_partitions
from teilhabe_kit.tables import processed_events


@dataclass(frozen=True)
class RebuildReport:
    events: int
    seconds: float
    assistants: int
    orders: int
    requests: int
    processes: int = 1
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class Writer:
    """Replaces the tables with the folded state in one transaction on `conn`: each identity
    partition's assistants as the fold hands them over (COPY in the background: PostgreSQL parses on
    another core while the next partition is read; the tables are locked from the first), the rest
    at `finish`."""

    def __init__(self, conn: AsyncConnection, raw_connection, consumer_group: str):
        self._conn, self._raw, self._group = conn, raw_connection, consumer_group
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._copying = asyncio.ensure_future(self._copy())

    def assistants(self, folded_assistants: dict) -> None:
        self._queue.put_nowait(assistant_text(folded_assistants))

    async def share(self, share: Awaitable[Share]) -> None:
        """A worker's assistants, copied as soon as the worker is done."""
        self._queue.put_nowait((await share).text)

    async def _copy(self) -> None:
        data = await self._queue.get()
        names = ", ".join(t.name for t in metadata.sorted_tables if t not in (removed_assistants, ended_awards))
        await numbering(self._conn)
        await self._conn.execute(
            text("CREATE TEMP TABLE previous_assistants ON COMMIT DROP AS SELECT assistant_id FROM assistants")
        )
        await self._conn.execute(
            text("CREATE TEMP TABLE previous_awards ON COMMIT DROP AS SELECT order_id FROM awards")
        )
        await self._conn.execute(text(f"TRUNCATE {names}"))
        await self._conn.execute(delete(processed_events).where(processed_events.c.consumer == self._group))
        while data is not None:
            await copy_assistants(self._raw, data)
            data = await self._queue.get()

    async def finish(self, folded: Folded) -> None:
        """The rest, once the fold and the workers (`share`) are done."""
        self._queue.put_nowait(None)
        await self._copying
        raw = self._raw
        await copy_rows(
            raw,
            orders,
            (order_row(replace(o, emitted=folded.streams.get(o.order_id, 0))) for o in folded.orders.values()),
        )
        await copy_rows(raw, awards, ({"order_id": o, "assistant_id": a} for o, a in folded.awards.items()))
        await copy_rows(
            raw, answers, ({"order_id": o, "assistant_id": a, "answered_at": t} for (o, a), t in folded.answers.items())
        )
        await copy_rows(raw, requests, folded.requests.values())
        await self._conn.execute(
            text(  # tombstones for followers: who is gone now
                "INSERT INTO removed_assistants (assistant_id) SELECT p.assistant_id FROM previous_assistants p"
                " WHERE NOT EXISTS (SELECT 1 FROM assistants a WHERE a.assistant_id = p.assistant_id)"
                " ON CONFLICT (assistant_id) DO UPDATE SET changed = nextval('projection_changes')"
            )
        )
        await self._conn.execute(
            text(  # and whose award ended
                "INSERT INTO ended_awards (order_id) SELECT p.order_id FROM previous_awards p"
                " WHERE NOT EXISTS (SELECT 1 FROM awards a WHERE a.order_id = p.order_id)"
                " ON CONFLICT (order_id) DO UPDATE SET changed = nextval('projection_changes')"
            )
        )

    async def cancel(self) -> None:
        self._copying.cancel()
        await asyncio.gather(self._copying, return_exceptions=True)


async def copy_assistants(raw_connection, data: bytes) -> None:
    """COPY text in messages of `COPY_BYTES`: PostgreSQL parses each as it arrives, and the event
    loop sends what the socket takes whenever the fold lets it run."""
    if not data:
        return
    view = memoryview(data)

    async def chunks():
        for start in range(0, len(view), COPY_BYTES):
            yield view[start : start + COPY_BYTES]

    await raw_connection.copy_to_table(assistants.name, source=chunks(), columns=list(ASSISTANT_COLUMNS), format="text")


COPY_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Share:
    """What a worker process folded: its events, end offsets and assistants (COPY text)."""

    events: int
    assistants: int
    end: dict[TopicPartition, int]
    text: bytes


async def fold_share(bootstrap: str, topics: Topics, partitions: list[TopicPartition]) -> Share:
    """Fold `partitions` (identity's only) in a worker process (`python -m matching.fold`)."""
    job = json.dumps(
        {
            "topics": [topics.identity, topics.orders, topics.own],
            "partitions": [[tp.topic, tp.partition] for tp in partitions],
            "versions": schema_versions(),
        }
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "matching.fold",
        bootstrap,
        job,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        out, _ = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode != 0:
        raise RuntimeError(f"rebuild worker for {partitions} failed ({process.returncode})")
    head, _, data = out.partition(b"\n")
    h = json.loads(head)
    return Share(h["events"], h["assistants"], {TopicPartition(t, n): o for t, n, o in h["end"]}, data)


def split(partitions: list[TopicPartition], processes: int) -> list[list[TopicPartition]]:
    """Identity's partitions in `processes` shares (round robin); the first is this process's."""
    count = max(1, min(processes, len(partitions)))
    return [partitions[i::count] for i in range(count)]


EVENTS_PER_PROCESS = 150_000
"""A worker's start (interpreter, imports: ~0.6 s of CPU) pays off only beyond about this many events."""


async def worth(bootstrap: str, partitions: list[TopicPartition], processes: int) -> int:
    """How many of `processes` are worth starting for the events in `partitions`."""
    if processes <= 1 or not partitions:
        return 1
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        first, end = await consumer.beginning_offsets(partitions), await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()
    events = sum(end[tp] - first[tp] for tp in partitions)
    return max(1, min(processes, events // EVENTS_PER_PROCESS))


async def copy_rows(raw_connection, table: Table, rows: Iterable[dict]) -> None:
    """COPY dict rows into `table` as CSV (much faster than binary records with arrays and JSON)."""
    converters = [(c.name, _csv_value(c.type)) for c in table.columns if c.name != "changed"]  # → default
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return

    async def chunks():  # PostgreSQL parses one chunk while Python writes the next
        batch = [first, *islice(rows, COPY_CHUNK - 1)]
        while batch:
            buffer = io.StringIO()
            csv.writer(buffer).writerows([convert(row.get(name)) for name, convert in converters] for row in batch)
            yield buffer.getvalue().encode()
            batch = list(islice(rows, COPY_CHUNK))

    columns = [name for name, _ in converters]
    await raw_connection.copy_to_table(table.name, source=chunks(), columns=columns, format="csv")


COPY_CHUNK = 5000


def _csv_value(kind):
    """A function from a Python value to its CSV text for a column of type `kind` (None → NULL)."""
    if isinstance(kind, ARRAY):
        return _csv_array
    if isinstance(kind, JSONB):
        return lambda v: None if v is None else orjson.dumps(v).decode()
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else ("t" if v else "f")
    return lambda v: v


def _csv_array(values: list[str] | None) -> str | None:
    return None if values is None else array_literal(values)


async def move_group(consumer: AIOKafkaConsumer, end: dict[TopicPartition, int], topics: list[str]) -> None:
    """The live consumers (the group of the started `consumer`) go on after what the rebuild applied."""
    offsets = {tp: offset for tp, offset in end.items() if tp.topic in topics}
    if offsets:
        consumer.assign(list(offsets))
        await consumer.commit(offsets)


async def flush_outbox(engine: AsyncEngine, bootstrap: str) -> None:
    """Publish what matching decided but has not published yet, so the rebuild sees it."""
    producer = idempotent_producer(bootstrap)
    await producer.start()
    try:
        relay = OutboxRelay(engine, producer)
        while await relay.publish_pending():
            pass
    finally:
        await producer.stop()


async def rebuild(
    settings: Settings, engine: AsyncEngine, *, move_consumer_group: bool = True, processes: int = 1
) -> RebuildReport:
    """Identity's partitions are folded by up to `processes` processes (this one and workers, as
    many as the topic's size is worth), orders and matching's own topic by this one; the tables are
    replaced once, in one transaction. Workers pay off on idle cores only: on a busy 2-core machine
    three processes were slower than one, hence the default of 1."""
    clock = [time.perf_counter()]
    bootstrap = settings.kafka_bootstrap_servers
    topics = Topics(settings.identity_topic, settings.orders_topic, settings.output_topic)
    partitions = await topic_partitions(bootstrap, [topics.identity, topics.orders, topics.own])
    identity = [tp for tp in partitions if tp.topic == topics.identity]
    group = None
    if move_consumer_group:
        group = AIOKafkaConsumer(
            bootstrap_servers=bootstrap, group_id=settings.consumer_group, enable_auto_commit=False
        )
    shares, joining = [], None
    flushing = asyncio.ensure_future(flush_outbox(engine, bootstrap))  # before reading matching's own topic
    try:
        mine, *others = split(identity, await worth(bootstrap, identity, processes))
        shares = [asyncio.ensure_future(fold_share(bootstrap, topics, share)) for share in others]
        await flushing
        clock.append(time.perf_counter())
        with no_cyclic_gc():
            async with engine.begin() as conn:
                writer = Writer(conn, (await conn.get_raw_connection()).driver_connection, settings.consumer_group)
                forwarded = [asyncio.ensure_future(writer.share(share)) for share in shares]
                try:
                    folded, end = await fold(
                        bootstrap,
                        topics,
                        mine + [tp for tp in partitions if tp.topic != topics.identity],
                        written=writer.assistants,
                    )
                    clock.append(time.perf_counter())
                    joining = asyncio.ensure_future(group.start() if group else asyncio.sleep(0))  # during the write
                    await asyncio.gather(*forwarded)
                    await writer.finish(folded)
                finally:
                    for forwarding in forwarded:
                        forwarding.cancel()
                    await asyncio.gather(*forwarded, return_exceptions=True)
                    await writer.cancel()
        clock.append(time.perf_counter())
        await joining  # only after the tables committed: never skip an event not applied
        done = [s.result() for s in shares]
        for share in done:
            end |= share.end
        if group:
            await move_group(group, end, [topics.identity, topics.orders])
        clock.append(time.perf_counter())
    finally:
        for sharing in shares:
            sharing.cancel()
        await asyncio.gather(flushing, *shares, *([joining] if joining else []), return_exceptions=True)
        if group:
            await group.stop()
    return RebuildReport(
        events=folded.events + sum(s.events for s in done),
        seconds=clock[-1] - clock[0],
        assistants=folded.assistant_count + sum(s.assistants for s in done),
        orders=len(folded.orders),
        requests=len(folded.requests),
        processes=1 + len(done),
        phases={
            name: round(b - a, 3)
            for name, a, b in zip(("flush", "read_and_fold", "write", "move_group"), clock, clock[1:])
        },
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-group", action="store_true", help="do not move the live consumer group")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help=f"processes folding identity's partitions (at most one per {EVENTS_PER_PROCESS:,} events; default 1)",
    )
    args = parser.parse_args()
    settings = Settings()
    engine = create_engine(settings.resolved_database_url())
    try:
        report = await rebuild(settings, engine, move_consumer_group=not args.keep_group, processes=args.processes)
    finally:
        await engine.dispose()
    print(json.dumps(report.__dict__ | {"events_per_second": round(report.events_per_second)}))


if __name__ == "__main__":
    asyncio.run(main())
