"""Rebuild matching's tables from Kafka: ``python -m matching.replay`` (stop the live consumers first).

Reads identity's and orders' topics (the projection) and matching's own topic (the requests it
sent and closed, so nothing is decided or sent again) from the beginning up to the end offsets
seen at the start, folds every event in memory with the same `evolve_*` functions the live
projection uses, then replaces the tables in one transaction (COPY) and moves the live consumer
group to those end offsets. Much faster than one transaction per event (`teilhabe_kit.replay`).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import io
import json
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import islice

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import Boolean, Table, delete, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncEngine
from teilhabe_events import registry
from teilhabe_kit.db import create_engine
from teilhabe_kit.outbox import OutboxRelay, idempotent_producer
from teilhabe_kit.replay import topic_partitions
from teilhabe_kit.tables import processed_events

from matching.domain.state import ASSISTANT_EVENTS, ORDER_EVENTS, evolve_assistant, evolve_order
from matching.readmodels.store import order_row
from matching.readmodels.tables import (
    answers, assistants, awards, metadata, orders, removed_assistants, requests,
)
from matching.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Folded:
    """Everything the tables will hold, built in memory."""

    assistants: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)
    awards: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    requests: dict = field(default_factory=dict)
    streams: dict = field(default_factory=dict)
    events: int = 0

    def identity(self, values: list[bytes]) -> None:
        """The hot loop of a rebuild (most events are assistants'): kept free of indirection."""
        assistants, current, relevant = self.assistants, _current(), ASSISTANT_EVENTS
        for value in values:
            try:
                e = orjson.loads(value)
                kind = e["event_type"]
                if kind not in relevant:
                    continue
                sid = e["stream_id"]
                p = e["payload"] if e["schema_version"] == current[kind] else _payload(e)
                old = assistants.get(sid)
                new = evolve_assistant(old, sid, kind, e["stream_version"], p)
                if new is None:
                    if old is not None:
                        del assistants[sid]
                elif new is not old:
                    assistants[sid] = new
            except Exception as error:
                _skipped(error)

    def orders_batch(self, values: list[bytes]) -> None:
        _each(values, self.order)

    def own_batch(self, values: list[bytes]) -> None:
        _each(values, self.own)

    def order(self, e: dict) -> None:
        kind, sid = e["event_type"], e["stream_id"]
        if kind == "OfferSubmitted":
            p = _payload(e)
            if p.get("assistant_id"):
                self.answers.setdefault((sid, p["assistant_id"]), e["occurred_at"])
        elif kind in ORDER_EVENTS:
            p = _payload(e)
            old = self.orders.get(sid)
            new = evolve_order(old, sid, kind, e["stream_version"], p)
            if new is None or new is old:
                return
            self.orders[sid] = new
            if kind == "OfferAccepted":
                self.awards[sid] = p["assistant_id"]
            elif kind == "AwardEnded":
                self.awards.pop(sid, None)

    def own(self, e: dict) -> None:
        sid, p = e["stream_id"], e["payload"]
        self.streams[sid] = max(self.streams.get(sid, 0), e["stream_version"])
        if e["event_type"] == "AvailabilityRequestSent":
            self.requests[p["request_id"]] = {
                "request_id": p["request_id"], "order_id": p["order_id"], "assistant_id": p["assistant_id"],
                "revision": p["revision"], "organisation_id": p.get("organisation_id"),
                "explanation": p["explanation"], "trigger": p["trigger"], "sent_at": e["occurred_at"],
            }
        elif e["event_type"] == "AvailabilityRequestClosed" and p["request_id"] in self.requests:
            self.requests[p["request_id"]] |= {"closed_at": e["occurred_at"], "close_reason": p["reason"]}


def _each(values: list[bytes], handle) -> None:
    for value in values:
        try:
            handle(orjson.loads(value))
        except Exception as error:
            _skipped(error)


def _skipped(error: Exception) -> None:
    """A poison message is in the DLQ already (live consumption put it there); the rebuild goes on."""
    log.warning("rebuild skipped a message: %s", error)


@cache
def _current() -> dict[str, int]:
    return {model.event_type: model.schema_version for model in registry.models()}


def _payload(e: dict) -> dict:
    kind, version = e["event_type"], e["schema_version"]
    if version != registry.model(kind).schema_version:
        return registry.upcast(kind, version, e["payload"])
    return e["payload"]


@dataclass(frozen=True)
class RebuildReport:
    events: int
    seconds: float
    assistants: int
    orders: int
    requests: int
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


async def read_to_end(bootstrap: str, topics: list[str], handle) -> tuple[int, dict[TopicPartition, int]]:
    """Feed every record of `topics`, from the start up to today's end, to `handle(topic, values)`
    (a batch of message values at a time); returns the count and the end offsets."""
    partitions = await topic_partitions(bootstrap, topics)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
        fetch_max_bytes=64 * 1024 * 1024, max_partition_fetch_bytes=16 * 1024 * 1024,
    )
    await consumer.start()
    count = 0
    try:
        if not partitions:
            return 0, {}
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if end[tp] > 0}
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=500, max_records=20_000)
            for tp, records in batches.items():
                stop = end[tp]
                values = [r.value for r in records if r.offset < stop]
                handle(tp.topic, values)
                count += len(values)
                if records and records[-1].offset + 1 >= stop:
                    remaining.discard(tp)
        return count, end
    finally:
        await consumer.stop()


async def fold(settings: Settings) -> tuple[Folded, dict[TopicPartition, int]]:
    folded = Folded()
    route = {settings.identity_topic: folded.identity, settings.orders_topic: folded.orders_batch,
             settings.output_topic: folded.own_batch}

    def handle(topic: str, values: list[bytes]) -> None:
        route[topic](values)

    topics = [settings.identity_topic, settings.orders_topic, settings.output_topic]
    gc.disable()  # millions of small acyclic objects: the cyclic collector would only cost time
    try:
        folded.events, end = await read_to_end(settings.kafka_bootstrap_servers, topics, handle)
    finally:
        gc.enable()
    return folded, end


async def write(engine: AsyncEngine, folded: Folded, consumer_group: str) -> None:
    """Replace the tables with the folded state in one transaction."""
    names = ", ".join(t.name for t in metadata.sorted_tables if t is not removed_assistants)
    async with engine.begin() as conn:
        await conn.execute(text(
            "CREATE TEMP TABLE previous_assistants ON COMMIT DROP AS SELECT assistant_id FROM assistants"
        ))
        await conn.execute(text(f"TRUNCATE {names}"))
        await conn.execute(delete(processed_events).where(processed_events.c.consumer == consumer_group))
        raw = (await conn.get_raw_connection()).driver_connection
        await copy_rows(raw, assistants, folded.assistants.values())
        await copy_rows(raw, orders, (
            order_row(replace(o, emitted=folded.streams.get(o.order_id, 0))) for o in folded.orders.values()
        ))
        await copy_rows(raw, awards, ({"order_id": o, "assistant_id": a} for o, a in folded.awards.items()))
        await copy_rows(raw, answers, (
            {"order_id": o, "assistant_id": a, "answered_at": t} for (o, a), t in folded.answers.items()
        ))
        await copy_rows(raw, requests, folded.requests.values())
        await conn.execute(text(  # tombstones for followers: who is gone now
            "INSERT INTO removed_assistants (assistant_id) SELECT p.assistant_id FROM previous_assistants p"
            " WHERE NOT EXISTS (SELECT 1 FROM assistants a WHERE a.assistant_id = p.assistant_id)"
            " ON CONFLICT (assistant_id) DO UPDATE SET changed = nextval('projection_changes')"
        ))


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
    """A PostgreSQL array literal; codes (activities, traits) need no quoting, anything else is quoted."""
    if values is None:
        return None
    joined = ",".join(values)
    if _PLAIN.fullmatch(joined) and all(values):
        return "{" + joined + "}"
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


_PLAIN = re.compile(r"[a-z0-9_,]*")


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


async def rebuild(settings: Settings, engine: AsyncEngine, *, move_consumer_group: bool = True) -> RebuildReport:
    clock = [time.perf_counter()]
    await flush_outbox(engine, settings.kafka_bootstrap_servers)
    clock.append(time.perf_counter())
    folded, end = await fold(settings)
    clock.append(time.perf_counter())
    if not move_consumer_group:
        await write(engine, folded, settings.consumer_group)
        clock += [time.perf_counter()] * 2
    else:
        group = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap_servers, group_id=settings.consumer_group,
            enable_auto_commit=False,
        )
        joining = asyncio.create_task(group.start())  # finds the group coordinator during the write
        try:
            await write(engine, folded, settings.consumer_group)
            clock.append(time.perf_counter())
            await joining  # only after the tables committed: never skip an event not applied
            await move_group(group, end, [settings.identity_topic, settings.orders_topic])
        finally:
            await asyncio.gather(joining, return_exceptions=True)
            await group.stop()
        clock.append(time.perf_counter())
    return RebuildReport(
        events=folded.events, seconds=clock[-1] - clock[0], assistants=len(folded.assistants),
        orders=len(folded.orders), requests=len(folded.requests),
        phases={name: round(b - a, 3) for name, a, b in zip(("flush", "read_and_fold", "write", "move_group"),
                                                            clock, clock[1:])},
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-group", action="store_true", help="do not move the live consumer group")
    args = parser.parse_args()
    settings = Settings()
    engine = create_engine(settings.resolved_database_url())
    try:
        report = await rebuild(settings, engine, move_consumer_group=not args.keep_group)
    finally:
        await engine.dispose()
    print(json.dumps(report.__dict__ | {"events_per_second": round(report.events_per_second)}))


if __name__ == "__main__":
    asyncio.run(main())
