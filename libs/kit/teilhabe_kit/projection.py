"""What a read model offers the consumer runner: its name, topics, how to apply and reset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_events import EventEnvelope


class Projection(Protocol):
    """A read model fed by events. `name` is also its Kafka consumer group."""

    @property
    def name(self) -> str:
        """Also the Kafka consumer group."""

    @property
    def topics(self) -> Sequence[str]:
        """The topics it consumes."""

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope) -> None:
        """Change the read model for one event, inside the runner's transaction."""

    async def reset(self, conn: AsyncConnection) -> None:
        """Empty the read model before a replay."""
