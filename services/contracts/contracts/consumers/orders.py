"""Orders' events that move contract processes: accepted offers open one, withdrawals close it.

Runs as a projection of the kit's consumer runner: the use case appends (event store + outbox)
in the runner's transaction together with the tracking row, so a redelivery changes nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.app.assistance import cancel_for_order, open_from_offer
from teilhabe_events import EventEnvelope


class OrderEvents:
    def __init__(self, topic: str, group_prefix: str = "contracts") -> None:
        self.name = f"{group_prefix}.order-events"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope) -> None:
        match envelope.event_type:
            case "OfferAccepted":
                await open_from_offer(conn, envelope)
            case "OrderWithdrawn":
                await cancel_for_order(conn, envelope, "order_withdrawn")
            case "AwardEnded" if envelope.payload.get("reason") != "declined_after_meeting":
                await cancel_for_order(conn, envelope, "award_ended")

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: the processes it opened live in the event store (decisions, not a view)."""
