"""The rebuild's fold: events from Kafka → matching's state in memory, and assistants as COPY text.

Light on imports on purpose: `python -m matching.fold` is the worker process of a parallel rebuild
(`matching.replay`). It folds the identity partitions named on its command line and writes one
JSON line (events, end offsets, assistants) followed by the assistants as COPY text on stdout.
An assistant's events share one key (its stream id), hence one partition: shares never overlap,
and an identity partition read to its end holds its assistants' final state (`fold(written=...)`).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition

from matching.copy_format import array_literal
from matching.domain.state import ASSISTANT_EVENTS, ORDER_EVENTS, evolve_assistant, evolve_order

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topics:
    identity: str
    orders: str
    own: str


@dataclass
class Folded:
    """Everything the tables will hold, built in memory."""

    partitions: dict[int, dict] = field(default_factory=dict)  # identity partition → its assistants by id
    orders: dict = field(default_factory=dict)
    awards: dict = field(default_factory=dict)
    answers: dict = field(default_factory=dict)
    requests: dict = field(default_factory=dict)
    streams: dict = field(default_factory=dict)
    events: int = 0

    @property
    def assistant_count(self) -> int:
        return sum(len(a) for a in self.partitions.values())

    def identity(self, partition: int, values: list[bytes]) -> None:
        """The hot loop of a rebuild (most events are assistants'): kept free of indirection."""
        assistants = self.partitions.setdefault(partition, {})
        current, relevant, loads = schema_versions(), ASSISTANT_EVENTS, orjson.loads
        for value in values:
            try:
                e = loads(value)
                kind = e["event_type"]
                if kind not in relevant:
                    continue
                sid = e["stream_id"]
                p = e["payload"] if e["schema_version"] == current[kind] else _payload(e)
                old = assistants.get(sid)
                new = evolve_assistant(old, sid, kind, e["stream_version"], p)
                if new is not old:
                    if new is None:
                        del assistants[sid]
                    else:
                        assistants[sid] = new
            except Exception as error:
                _skipped(error)

    def orders_batch(self, partition: int, values: list[bytes]) -> None:
        _each(values, self.order)

    def own_batch(self, partition: int, values: list[bytes]) -> None:
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
                "request_id": p["request_id"],
                "order_id": p["order_id"],
                "assistant_id": p["assistant_id"],
                "revision": p["revision"],
                "organisation_id": p.get("organisation_id"),
                "explanation": p["explanation"],
                "trigger": p["trigger"],
                "sent_at": e["occurred_at"],
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


def schema_versions() -> dict[str, int]:
    """Each event type's current schema version (a worker gets them from its parent: importing the
    event models, pydantic, would double a worker's start)."""
    if not _versions:
        from teilhabe_events import registry

        _versions.update({model.event_type: model.schema_version for model in registry.models()})
    return _versions


_versions: dict[str, int] = {}


def _payload(e: dict) -> dict:
    kind, version = e["event_type"], e["schema_version"]
    if version != schema_versions()[kind]:
        from teilhabe_events import registry

        return registry.upcast(kind, version, e["payload"])
    return e["payload"]


@contextmanager
def no_cyclic_gc():
    """Millions of small acyclic objects: the cyclic collector would only walk them (a full
    collection over a large fold costs hundreds of ms). Restores the previous state."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


async def read_to_end(
    bootstrap: str,
    partitions: list[TopicPartition],
    handle,
    *,
    in_turn=(),
    finished: Callable[[TopicPartition], None] | None = None,
) -> tuple[int, dict[TopicPartition, int]]:
    """Feed every record of `partitions`, from the start up to today's end, to `handle(tp, values)`
    (a batch of message values at a time); returns the count and the end offsets. The partitions
    in `in_turn` are read one after another (the others alongside the first); `finished(tp)` is
    called when a partition is read to its end."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        group_id=None,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=16 * 1024 * 1024,
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
        waiting = [tp for tp in in_turn if tp in remaining]
        if waiting[1:]:
            consumer.pause(*waiting[1:])
        while remaining:
            batches = await consumer.getmany(*remaining, timeout_ms=500, max_records=20_000)
            for tp, records in batches.items():
                stop = end[tp]
                values = [r.value for r in records if r.offset < stop]
                handle(tp, values)
                count += len(values)
                if records and records[-1].offset + 1 >= stop:
                    remaining.discard(tp)
                    if finished:
                        finished(tp)
                    if waiting and waiting[0] == tp:
                        waiting.pop(0)
                        if waiting:
                            consumer.resume(waiting[0])
        return count, end
    finally:
        await consumer.stop()


async def fold(
    bootstrap: str, topics: Topics, partitions: list[TopicPartition], written: Callable[[dict], None] | None = None
) -> tuple[Folded, dict]:
    """Fold `partitions`; with `written`, identity's partitions are read one after another and
    `written(assistants)` gets each one's assistants as soon as it is read to its end (final: the
    caller can write them while the next partition is read)."""
    folded = Folded()
    route = {topics.identity: folded.identity, topics.orders: folded.orders_batch, topics.own: folded.own_batch}

    def handle(tp: TopicPartition, values: list[bytes]) -> None:
        route[tp.topic](tp.partition, values)

    def finished(tp: TopicPartition) -> None:
        if tp.topic == topics.identity and written is not None:
            written(folded.partitions.get(tp.partition, {}))

    identity = [tp for tp in partitions if tp.topic == topics.identity] if written else []
    with no_cyclic_gc():
        folded.events, end = await read_to_end(
            bootstrap, partitions, handle, in_turn=identity, finished=finished if written else None
        )
    return folded, end


def assistant_text(assistants: dict) -> bytes:
    """The assistants' rows in COPY text format, columns `ASSISTANT_COLUMNS` (3× cheaper than csv)."""
    lines: list[str] = []
    add = lines.append
    for r in assistants.values():
        add(
            f"{_text(r['assistant_id'])}\t{r['version']}\t{_array(r['activities'])}\t"
            f"{orjson.dumps(r['spans']).decode()}\t{_number(r['lat'])}\t{_number(r['lon'])}\t"
            f"{_number(r['radius_km'])}\t{_array(r['traits'])}\t{'t' if r['activated'] else 'f'}\t"
            f"{'t' if r['locked'] else 'f'}\t{'t' if r['deletion_requested'] else 'f'}\t"
            f"{_optional(r['provider_id'])}\t{'t' if r['self_employed'] else 'f'}\n"
        )
    return "".join(lines).encode()


ASSISTANT_COLUMNS = (
    "assistant_id",
    "version",
    "activities",
    "spans",
    "lat",
    "lon",
    "radius_km",
    "traits",
    "activated",
    "locked",
    "deletion_requested",
    "provider_id",
    "self_employed",
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    """A value escaped for COPY text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _optional(value: str | None) -> str:
    return "\\N" if value is None else _text(value)


def _number(value: float | None) -> str:
    return "\\N" if value is None else repr(value)


def _array(values: list[str]) -> str:
    return _text(array_literal(values))


def main() -> None:
    """Worker: `python -m matching.fold BOOTSTRAP '{"topics": [...], "partitions": [[topic, n], ...],
    "versions": {event type: schema version}}'`."""
    bootstrap, job = sys.argv[1], json.loads(sys.argv[2])
    _versions.update(job["versions"])
    partitions = [TopicPartition(topic, n) for topic, n in job["partitions"]]
    folded, end = asyncio.run(fold(bootstrap, Topics(*job["topics"]), partitions))
    head = {
        "events": folded.events,
        "assistants": folded.assistant_count,
        "end": [[tp.topic, tp.partition, offset] for tp, offset in end.items()],
    }
    sys.stdout.buffer.write(json.dumps(head).encode() + b"\n")
    for assistants in folded.partitions.values():
        sys.stdout.buffer.write(assistant_text(assistants))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
