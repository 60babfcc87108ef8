"""Orders' events that move contract processes: accepted offers open one, withdrawals close it.

Runs as a projection of the kit's consumer runner: the use case appends (event store + outbox)
in the runner's transaction together with the tracking row, so a redelivery changes nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.app.assistance import cancel_for_order, open_from_offer
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.orders import AwardEnded, OfferAccepted, OrderWithdrawn


class OrderEvents:
    def __init__(self, topic: str, group_prefix: str = "contracts") -> None:
        self.name = f"{group_prefix}.order-events"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        match event:
            case OfferAccepted():
                await open_from_offer(conn, envelope, event)
            case OrderWithdrawn():
                await cancel_for_order(conn, envelope, None, "order_withdrawn")
            case AwardEnded() if event.reason != "declined_after_meeting":
                await cancel_for_order(conn, envelope, event.offer_id, "award_ended")

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: the processes it opened live in the event store (decisions, not a view)."""
