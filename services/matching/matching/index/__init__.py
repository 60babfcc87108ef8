"""The in-memory index of assistants and open orders, rebuilt from the projection tables.

The database stays the source of truth: the index is loaded once per process (on start-up, or by
the first consumer transaction, whichever comes first) and then changed by the projection at the
end of each event it applies, so it always reflects what the consumer has decided. A replica
without consumers follows the tables by their change numbers instead (`follow`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from matching.index.assistants import AssistantIndex
from matching.index.orders import OrderIndex
from matching.readmodels.store import all_assistants, all_awards, changes_since, last_change, open_orders

log = logging.getLogger(__name__)


class MatchIndex:
    def __init__(self) -> None:
        self.assistants = AssistantIndex()
        self.orders = OrderIndex()
        self.loaded = False
        self.seen = 0  # the highest change number of the tables reflected here
        self._lock = asyncio.Lock()

    async def ensure_loaded(self, conn: AsyncConnection) -> None:
        if self.loaded:
            return
        async with self._lock:
            if not self.loaded:
                self.seen = await last_change(conn)
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

    async def follow(self, engine: AsyncEngine, stop: asyncio.Event, every_seconds: float = 0.5) -> None:
        """For replicas without consumers: apply the rows changed since the last look, until `stop`.

        (Workload, used only for ranking, is taken at start-up.)"""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every_seconds)
            try:
                async with engine.connect() as conn:
                    changed, removed, orders, self.seen = await changes_since(conn, self.seen)
            except Exception as error:  # the database may be restarting: try again next round
                log.warning("index follower could not read changes: %s", error)
                continue
            for assistant in changed:
                self.assistants.put(assistant)
            for assistant_id in removed:
                self.assistants.remove(assistant_id)
            for order in orders:
                self.orders.put(order)
