"""The in-memory index of assistants and open orders, rebuilt from the projection tables.

The database stays the source of truth: the index is loaded once per process (on start-up, or by
the first consumer transaction, whichever comes first) and then changed by the projection at the
end of each event it applies, so it always reflects what the consumer has decided.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from matching.index.assistants import AssistantIndex
from matching.index.orders import OrderIndex
from matching.readmodels.store import all_assistants, all_awards, open_orders


class MatchIndex:
    def __init__(self) -> None:
        self.assistants = AssistantIndex()
        self.orders = OrderIndex()
        self.loaded = False
        self._lock = asyncio.Lock()

    async def ensure_loaded(self, conn: AsyncConnection) -> None:
        if self.loaded:
            return
        async with self._lock:
            if not self.loaded:
                async for assistant in all_assistants(conn):
                    self.assistants.put(assistant)
                for order in await open_orders(conn):
                    self.orders.put(order)
                for order_id, assistant_id in await all_awards(conn):
                    self.assistants.award(order_id, assistant_id)
                self.loaded = True

    async def load(self, engine: AsyncEngine) -> None:
        async with engine.connect() as conn:
            await self.ensure_loaded(conn)
