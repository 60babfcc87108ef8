"""The envelope every event travels in, on Kafka and in each service's event store."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class EventEnvelope(BaseModel):
    """Metadata of one event plus its payload (a plain dict of the event's schema)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: uuid.UUID
    event_type: str = Field(min_length=1, max_length=100)
    schema_version: int = Field(ge=1)
    occurred_at: datetime
    stream_type: str = Field(min_length=1, max_length=100)
    stream_id: str = Field(min_length=1, max_length=200)
    stream_version: int = Field(ge=1)
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None = None
    actor_id: str | None = None
    payload: dict[str, Any]

    @field_validator("occurred_at")
    @classmethod
    def _must_be_utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must carry a time zone")
        return value.astimezone(UTC)


def new_envelope(
    *,
    event_type: str,
    schema_version: int,
    stream_type: str,
    stream_id: str,
    stream_version: int,
    payload: dict[str, Any],
    correlation_id: uuid.UUID | None = None,
    causation_id: uuid.UUID | None = None,
    actor_id: str | None = None,
    occurred_at: datetime | None = None,
) -> EventEnvelope:
    """Build an envelope with a fresh event id; a new correlation starts when none is given."""
    event_id = uuid.uuid4()
    return EventEnvelope(
        event_id=event_id,
        event_type=event_type,
        schema_version=schema_version,
        occurred_at=occurred_at or datetime.now(UTC),
        stream_type=stream_type,
        stream_id=stream_id,
        stream_version=stream_version,
        correlation_id=correlation_id or event_id,
        causation_id=causation_id,
        actor_id=actor_id,
        payload=payload,
    )
