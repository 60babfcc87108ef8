"""Identity's events: an erased account restricts the person's contract records (retention)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection
from teilhabe_events import EventEnvelope, topic_for

from contracts.app.retention import restrict_person


class IdentityEvents:
    name = "contracts.identity-events"
    topics = (topic_for("identity", "account"),)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope) -> None:
        if envelope.event_type == "AccountErased":
            await restrict_person(conn, envelope.stream_id)

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: restrictions are events in the store, not a view."""
