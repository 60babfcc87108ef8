"""Contracts' events that close an order's award: ratified → fulfilled, declined → award ended.

Tolerant by design: it reads only `event_type` and the ids it needs from the payload, so a newer
schema of contracts' events (more fields) changes nothing here; other event types are ignored.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from orders.app import reactions
from orders.app.streams import Tx
from teilhabe_events import EventEnvelope


class ContractEvents:
    def __init__(self, topic: str, orders_topic: str, group_prefix: str = "orders") -> None:
        self.name = f"{group_prefix}.contract-events"
        self.topics = (topic,)
        self._orders_topic = orders_topic

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope) -> None:
        payload, tx = envelope.payload, Tx(conn, self._orders_topic)
        match envelope.event_type:
            case "ContractRatified":
                await reactions.fulfil(
                    tx,
                    payload["order_id"],
                    payload["offer_id"],
                    payload.get("contract_id") or envelope.stream_id,
                    causation=envelope,
                )
            case "ContractDeclined":
                await reactions.end_award(
                    tx, payload["order_id"], payload["offer_id"], "declined_after_meeting", causation=envelope
                )

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: its effects are events in the order streams."""
