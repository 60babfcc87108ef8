"""The in-memory index of assistants and open orders, rebuilt from the projection tables.

The database stays the source of truth: the index is loaded once per process (on start-up, or by
the first consumer transaction, whichever comes first). Every replica serves queries from its own
index; one replica at a time leads (holds matching's advisory lock) and runs the consumers, whose
projection changes the index at the end of each event it applies, so the leader's decisions always
see what it decided before. The others follow the tables by their change numbers (`follow`), which
follow commit order (`store.numbering`); a replica that becomes the leader first catches up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from matching.index.assistants import AssistantIndex
from matching.index.orders import OrderIndex
from matching.readmodels.store import (
    all_assistants,
    all_awards,
    changes_since,
    last_change,
    open_orders,
    pending_changes,
)

log = logging.getLogger(__name__)

STALE_SECONDS = 5.0
"""A follower whose last successful look is older than this is not ready."""


class MatchIndex:
    def __init__(self) -> None:
        self.assistants = AssistantIndex()
        self.orders = OrderIndex()
        self.loaded = False
        self.seen = 0  # the highest change number of the tables reflected here
        self.leading = False  # the consumers change the index: following would only repeat (or undo) them
        self.followed_at = 0.0  # monotonic time of the last successful look at the tables
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
                self.followed_at = time.monotonic()

    async def load(self, engine: AsyncEngine) -> None:
        async with _snapshot(engine) as conn:
            await self.ensure_loaded(conn)

    async def catch_up(self, engine: AsyncEngine, *, leading: bool = False) -> int:
        """Apply the rows changed since the last look (one snapshot); how many. Nothing while the
        consumers change the index (`leading` is the leader's own last look before they start)."""
        async with self._lock, _snapshot(engine) as conn:
            if self.leading and not leading:
                return 0
            changes = await changes_since(conn, self.seen)
            for assistant in changes.assistants:
                self.assistants.put(assistant)
            for assistant_id in changes.removed:
                self.assistants.remove(assistant_id)
            for order in changes.orders:
                self.orders.put(order)
            for order_id, awarded_to in changes.awards:
                self.assistants.award(order_id, awarded_to)
            self.seen = changes.seen
            self.followed_at = time.monotonic()
        return len(changes.assistants) + len(changes.removed) + len(changes.orders) + len(changes.awards)

    async def follow(self, engine: AsyncEngine, stop: asyncio.Event, every_seconds: float = 0.5) -> None:
        """While not leading: apply the rows changed since the last look, every `every_seconds`, until `stop`."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every_seconds)
            if self.leading or stop.is_set():
                continue
            try:
                await self.catch_up(engine)
            except Exception as error:  # the database may be restarting: try again next round
                log.warning("index follower could not read changes: %s", error)

    @contextlib.asynccontextmanager
    async def leader(self, engine: AsyncEngine):
        """While this replica leads: caught up first (no other writer is left), then the consumers' own."""
        await self.catch_up(engine, leading=True)
        self.leading = True
        try:
            yield
        finally:
            self.leading = False

    async def readiness(self, engine: AsyncEngine) -> dict:
        """Up when loaded and leading or recently followed; `lag`: change numbers taken after the last seen."""
        async with engine.connect() as conn:
            lag = 0 if self.leading else await pending_changes(conn, self.seen)
        age = 0.0 if self.leading else time.monotonic() - self.followed_at
        up = self.loaded and age < STALE_SECONDS
        return {
            "state": "up" if up else "down",
            "leading": self.leading,
            "lag": lag,
            "followed_seconds_ago": round(age, 1),
        }


@contextlib.asynccontextmanager
async def _snapshot(engine: AsyncEngine):
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            yield conn
