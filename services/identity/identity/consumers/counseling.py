"""Counseling's centre settings → the deletion routine of a centre's clients.

`CounselingSettingsChanged {deletion_days}` (stream id = centre id) becomes the organisation's
`ClientRetentionChanged`: a client deleted afterwards is erased that many days later. Settings of a
centre identity does not know are ignored; a redelivery changes nothing (same days). Effects are
events in the organisation streams, so there is nothing to reset before a replay.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app import staff, store
from identity.domain import organisation as domain
from identity.settings import Settings
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.counseling import CounselingSettingsChanged

ACTOR = "counseling"


class CounselingSettings:
    def __init__(self, settings: Settings) -> None:
        self.name = f"{settings.consumer_group_prefix}.counseling"
        self.topics = (settings.counseling_topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        if not isinstance(event, CounselingSettingsChanged):
            return
        state = domain.replay(envelope.stream_id, await store.history(conn, store.ORGANISATION, envelope.stream_id))
        if state.exists:
            await staff.commit_centre(conn, state, domain.change_client_retention(state, event.deletion_days), ACTOR)

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty."""
