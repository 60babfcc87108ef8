"""Helpers for matching's service tests: a private database, event builders, publisher, collector."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from matching.readmodels.tables import metadata
from matching.settings import Settings
from teilhabe_events import EventEnvelope, decode, encode, registry
from teilhabe_events.contexts import identity as idn
from teilhabe_kit import outbox
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import create_topics, ensure_database, migrate, unique_topic

DATABASE = "matching_test"


async def fresh_matching(kafka_bootstrap: str, database: str) -> tuple[Settings, AsyncEngine]:
    """Settings on a migrated, emptied private database and fresh private topics, and its engine."""
    url = await ensure_database(database)
    await migrate("matching", url)
    engine = create_engine(url)
    async with engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {names}, outbox, processed_events"))
    settings = Settings(
        database_url=url,
        identity_topic=unique_topic("identity"),
        orders_topic=unique_topic("orders"),
        output_topic=unique_topic("matching"),
        consumer_group=unique_topic("matching-group"),
        relay_poll_seconds=0.2,
    )
    await create_topics(kafka_bootstrap, settings.identity_topic, settings.orders_topic, settings.output_topic)
    return settings, engine


_places = itertools.product([48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0], [7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0])


def new_place() -> tuple[float, float]:
    """A place at least ~70 km from every other test's place (tests use radii up to 20 km)."""
    return next(_places)


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def week(*ranges: tuple[int, str, str]) -> list[dict]:
    return [{"weekday": d, "start": s, "end": e} for d, s, e in ranges]


def assistant_events(
    place,
    *,
    activities=("shopping", "walks"),
    ranges=((0, "08:00", "14:00"),),
    radius_km=10.0,
    traits=("language_de",),
    provider: str | None = "prov-a",
    activated=True,
) -> list:
    events = [
        idn.AccountRegistered(role="assistant", organisation_id=provider, self_employed=provider is None),
        idn.ActivitiesChanged(activities=list(activities)),
        idn.AvailabilityChanged(ranges=week(*ranges)),
        idn.PlaceChanged(place={"lat": place[0], "lon": place[1]}, radius_km=radius_km),
        idn.TraitsChanged(traits=list(traits)),
    ]
    if provider:
        events.append(idn.MembershipApproved(organisation_id=provider, role="assistant"))
    if activated:
        events.append(idn.AccountActivated(role="assistant", activated_by="admin-1"))
    return events


def order_terms(
    place,
    *,
    revision=1,
    activities=("shopping",),
    traits=("language_de",),
    max_distance_km=10.0,
    schedule=None,
    seeker_id="seeker-1",
) -> dict:
    return {
        "seeker_id": seeker_id,
        "revision": revision,
        "schedule": schedule
        or {
            "kind": "recurring",
            "start_date": "2030-01-07",
            "interval": "weekly",
            "appointments_per_interval": 1,
            "ranges": week((0, "09:00", "11:00")),
        },
        "activities": list(activities),
        "traits": list(traits),
        "place": {"lat": place[0], "lon": place[1]},
        "max_distance_km": max_distance_km,
    }


@dataclass
class Stream:
    """Envelopes for one stream with increasing versions."""

    stream_id: str
    version: int = 0

    def wrap(self, event) -> EventEnvelope:
        self.version += 1
        return registry.envelope(event, stream_id=self.stream_id, stream_version=self.version)


class Publisher:
    def __init__(self, bootstrap: str) -> None:
        self.producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)

    async def send(self, topic: str, *envelopes: EventEnvelope) -> None:
        for envelope in envelopes:
            await self.producer.send_and_wait(topic, encode(envelope), key=envelope.stream_id.encode())


@dataclass
class Collector:
    """Reads a topic from the beginning in the background and keeps every envelope; `engine` is the
    database whose outbox publishes to the topic (for `caught_up`)."""

    bootstrap: str
    topic: str
    engine: AsyncEngine
    seen: list[EventEnvelope] = field(default_factory=list)
    read_to: dict[int, int] = field(default_factory=dict)  # partition → next offset

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(
            self.topic,
            bootstrap_servers=self.bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
            metadata_max_age_ms=1000,
        )
        await consumer.start()
        try:
            while True:
                for tp, batch in (await consumer.getmany(timeout_ms=200)).items():
                    self.seen.extend(decode(r.value) for r in batch)
                    self.read_to[tp.partition] = batch[-1].offset + 1
        finally:
            await consumer.stop()

    def of(self, order_id: str, event_type: str | None = None) -> list[dict]:
        return [
            e.payload
            for e in self.seen
            if e.stream_id == order_id and (event_type is None or e.event_type == event_type)
        ]

    async def wait(self, order_id: str, event_type: str, count: int = 1, timeout: float = 20) -> list[dict]:
        async with asyncio.timeout(timeout):
            while len(self.of(order_id, event_type)) < count:
                await asyncio.sleep(0.05)
        await self.caught_up()  # see surplus events too
        return self.of(order_id, event_type)

    async def caught_up(self, timeout: float = 20) -> None:
        """Wait until every event committed so far is here: the outbox is published and the topic read
        to its end. Poll this, not a sleep, before asserting that something was not sent (again)."""
        async with asyncio.timeout(timeout):
            while True:
                async with self.engine.connect() as conn:
                    if await outbox.pending_count(conn) == 0:
                        break
                await asyncio.sleep(0.05)
            end = await end_offsets(self.bootstrap, self.topic)
            while any(self.read_to.get(partition, 0) < offset for partition, offset in end.items()):
                await asyncio.sleep(0.05)


async def end_offsets(bootstrap: str, topic: str) -> dict[int, int]:
    """The next offset of each of the topic's partitions."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            await consumer.topics()  # metadata on first use
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return {tp.partition: offset for tp, offset in (await consumer.end_offsets(partitions)).items()}
    finally:
        await consumer.stop()


SENT: dict[str, int] = {}  # assistant id → stream version of the last identity event sent


async def send_identity(matching, stream: Stream, *events) -> None:
    """Publish identity events of one account, remembering how far its stream got."""
    await matching.identity(*(stream.wrap(e) for e in events))
    SENT[stream.stream_id] = stream.version


async def settled(matching, assistant_ids, timeout: float = 20) -> None:
    """Wait until the projection has applied every identity event sent for these assistants."""
    states = matching.app.state.index.assistants.states
    async with asyncio.timeout(timeout):
        while not all(a in states and states[a].version == SENT[a] for a in assistant_ids):
            await asyncio.sleep(0.05)
