"""Helpers for the kit's tests: a tally read model and event factories."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import ConfigDict
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_events import DomainEvent, EventEnvelope, new_envelope
from teilhabe_events.registry import EventRegistry
from teilhabe_kit.bulk import Fact, Rows, copy_rows

test_metadata = MetaData()

TEST_EVENTS = EventRegistry()
"""The kit tests' own registry (the public one stays free of test types)."""


@TEST_EVENTS.register
class TestHappened(DomainEvent):
    model_config = ConfigDict(frozen=True, extra="allow")
    event_type: ClassVar[str] = "TestHappened"
    service: ClassVar[str] = "kit-test"
    stream_type: ClassVar[str] = "test"
    poison: bool = False


tally = Table(
    "test_tally",
    test_metadata,
    Column("consumer", String(200), primary_key=True),
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("stream_id", String(200), nullable=False),
    Column("times", Integer, nullable=False),
)


class TallyProjection:
    """Counts how often each event was applied; a payload with ``poison`` always fails."""

    def __init__(self, name: str, topics: list[str]) -> None:
        self.name = name
        self.topics = topics

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        if isinstance(event, TestHappened) and event.poison:
            raise ValueError("poisoned payload")
        await conn.execute(
            insert(tally)
            .values(consumer=self.name, event_id=envelope.event_id, stream_id=envelope.stream_id, times=1)
            .on_conflict_do_update(index_elements=["consumer", "event_id"], set_={"times": tally.c.times + 1})
        )

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(tally.delete().where(tally.c.consumer == self.name))

    async def snapshot(self, conn: AsyncConnection) -> dict[uuid.UUID, tuple[str, int]]:
        rows = await conn.execute(
            select(tally.c.event_id, tally.c.stream_id, tally.c.times).where(tally.c.consumer == self.name)
        )
        return {row.event_id: (row.stream_id, row.times) for row in rows}


class BulkTallyProjection(TallyProjection):
    """The tally with a bulk fold (`teilhabe_kit.bulk`): the kit's replay folds it in memory."""

    def fold(self) -> TallyFold:
        return TallyFold(self.name)


class TallyFold:
    event_types = frozenset({"TestHappened"})

    def __init__(self, consumer: str) -> None:
        self.consumer, self.rows = consumer, Rows()

    def add(self, fact: Fact) -> None:
        if fact.payload.get("poison"):
            raise ValueError("poisoned payload")
        row = {"consumer": self.consumer, "event_id": fact.event_id, "stream_id": fact.stream_id, "times": 1}
        self.rows.upsert(fact.event_id, row, {"times": self.rows.by_key.get(fact.event_id, row)["times"] + 1})

    async def write(self, conn: AsyncConnection) -> None:
        await copy_rows(conn, tally, self.rows.values())


def event(stream_id: str, version: int = 1, **payload) -> EventEnvelope:
    return new_envelope(
        event_type="TestHappened",
        schema_version=1,
        stream_type="test",
        stream_id=stream_id,
        stream_version=version,
        payload=payload,
    )


def new_stream_id() -> str:
    return uuid.uuid4().hex
