"""What a read model offers the consumer runner: its name, topics, how to apply and reset.

`apply` receives the registry's typed event, upcast to the current schema version (an event
stored as version 1 of a type now at version 2 arrives in the version 2 shape), together with its
envelope for the metadata (stream id and version, event id, time, actor). Never read
`envelope.payload`: it is the payload as it was written, in whatever version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_events import DomainEvent, EventEnvelope


class Projection(Protocol):
    """A read model fed by events. `name` is also its Kafka consumer group."""

    @property
    def name(self) -> str:
        """Also the Kafka consumer group."""

    @property
    def topics(self) -> Sequence[str]:
        """The topics it consumes."""

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        """Change the read model for one event, inside the runner's transaction."""

    async def reset(self, conn: AsyncConnection) -> None:
        """Empty the read model before a replay."""
