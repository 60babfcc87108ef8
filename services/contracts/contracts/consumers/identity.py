"""Identity's events: an erased account restricts the person's contract records (retention)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.app.retention import restrict_person
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.identity import AccountErased


class IdentityEvents:
    def __init__(self, topic: str, group_prefix: str = "contracts") -> None:
        self.name = f"{group_prefix}.identity-events"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        if isinstance(event, AccountErased):
            await restrict_person(conn, envelope.stream_id)

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: restrictions are events in the store, not a view."""
