"""A minimal service built only from the kit, for the fault suite: appends events over HTTP and
projects them into a tally. RUN_API / RUN_CONSUMERS / RUN_RELAY split it into processes so each
part can be killed on its own.

Run: uvicorn toy_service:app (env: DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, TOY_TOPIC)
"""

from __future__ import annotations

import os
import uuid
from typing import ClassVar

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import UUID, insert

from teilhabe_events import DomainEvent, new_envelope
from teilhabe_events.registry import EventRegistry
from teilhabe_kit import eventstore, outbox
from teilhabe_kit.service import create_service_app
from teilhabe_kit.settings import ServiceSettings

TOPIC = os.environ.get("TOY_TOPIC", "faults.toy.v1")
metadata = MetaData()
tally = Table(
    "fault_tally",
    metadata,
    Column("event_id", UUID(as_uuid=True), primary_key=True),
    Column("stream_id", String(64), nullable=False),
    Column("times", Integer, nullable=False),
)


TOY_EVENTS = EventRegistry()


@TOY_EVENTS.register
class ToyHappened(DomainEvent):
    event_type: ClassVar[str] = "ToyHappened"
    service: ClassVar[str] = "faults"
    stream_type: ClassVar[str] = "toy"
    n: int


class TallyProjection:
    name = f"toy-tally-{TOPIC}"
    topics = [TOPIC]

    async def apply(self, conn, envelope, event) -> None:
        await conn.execute(
            insert(tally)
            .values(event_id=envelope.event_id, stream_id=envelope.stream_id, times=1)
            .on_conflict_do_update(index_elements=["event_id"], set_={"times": tally.c.times + 1})
        )

    async def reset(self, conn) -> None:
        await conn.execute(tally.delete())


class Append(BaseModel):
    events: int = 1


router = APIRouter()


@router.post("/append", status_code=201)
async def append(body: Append, request: Request) -> dict:
    stream = uuid.uuid4().hex
    events = [
        new_envelope(
            event_type="ToyHappened",
            schema_version=1,
            stream_type="toy",
            stream_id=stream,
            stream_version=v,
            payload={"n": v},
        )
        for v in range(1, body.events + 1)
    ]
    async with request.app.state.engine.begin() as conn:
        await eventstore.append(conn, "toy", stream, 0, events)
        await outbox.record(conn, TOPIC, events)
    return {"stream_id": stream}


settings = ServiceSettings(service_name="faults", relay_poll_seconds=0.2)
app = create_service_app(
    settings, title="fault toy", routers=[router], projections=[TallyProjection()], events=TOY_EVENTS
)
