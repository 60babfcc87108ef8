"""Contracts' events that close an order's award: ratified → fulfilled, declined → award ended.

It receives the registry's typed events (upcast to the current schema); other event types are ignored.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.app import reactions
from orders.app.streams import Tx
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.contracts import ContractDeclined, ContractRatified


class ContractEvents:
    def __init__(self, topic: str, orders_topic: str, group_prefix: str = "orders") -> None:
        self.name = f"{group_prefix}.contract-events"
        self.topics = (topic,)
        self._orders_topic = orders_topic

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        tx = Tx(conn, self._orders_topic)
        match event:
            case ContractRatified():
                await reactions.fulfil(tx, event.order_id, event.offer_id, event.contract_id, causation=envelope)
            case ContractDeclined():
                await reactions.end_award(
                    tx, event.order_id, event.offer_id, "declined_after_meeting", causation=envelope
                )

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: its effects are events in the order streams."""
