"""Contracts' `InterestedPersonRegistered` → an account and its password link (identity.app.interested).

Other event types on the topic are ignored. Effects are events in the account streams, so there is
nothing to reset before a replay (a replayed registration finds its account).
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app import interested
from identity.app.contracts_client import ContractsContacts
from identity.settings import Settings
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.contracts import InterestedPersonRegistered

log = logging.getLogger(__name__)


class InterestedPersons:
    def __init__(self, settings: Settings, contacts: ContractsContacts | None = None) -> None:
        self.name = f"{settings.consumer_group_prefix}.interested-persons"
        self.topics = (settings.contracts_topic,)
        self._settings = settings
        self._contacts = contacts or ContractsContacts(settings.contracts_url, settings.contracts_credential)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        if not isinstance(event, InterestedPersonRegistered):
            return
        person_id = event.person_id
        person = await self._contacts.person(person_id)
        if person is None:
            log.info("interested person %s is gone in contracts: no account", person_id)
            return
        outcome = await interested.open_account(conn, person_id, person, self._settings)
        log.info("interested person %s: %s", person_id, outcome)

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty."""

    async def close(self) -> None:
        await self._contacts.close()
