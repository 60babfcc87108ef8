"""Leadership among replicas: one process at a time holds a PostgreSQL advisory lock and does a part.

`Leadership` is for a part that runs continuously (matching's consumers); `alone` for one round of a
scheduled job (every replica's timer fires, one runs the round, the others skip it).

The lock is a session lock on a connection of its own, checked every `check_seconds`: when that
connection breaks (the database restarts, the network drops), PostgreSQL has released the lock for
the others, so the part stops at once (`until` is set) and the replica competes again. A killed
leader's session ends with it, and a waiting replica takes over within `retry_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")

log = logging.getLogger(__name__)

Part = Callable[[asyncio.Event], Awaitable[None]]
"""What the leader runs: returns soon after its argument `until` is set (leadership lost, or stop)."""


class Leadership:
    def __init__(
        self, engine: AsyncEngine, lock_id: int, *, check_seconds: float = 1.0, retry_seconds: float = 1.0
    ) -> None:
        self._url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._lock_id = lock_id
        self._check = check_seconds
        self._retry = retry_seconds
        self.leading = False
        self.terms = 0
        """How often this process became the leader."""
        self.attempts = 0
        """How often it tried the lock."""

    async def run(self, stop: asyncio.Event, part: Part) -> None:
        """Until `stop`: wait for the lock, run `part` while holding it, and compete again when it is lost."""
        while not stop.is_set():
            try:
                conn = await asyncpg.connect(self._url)
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("leadership %#x: cannot connect (%s)", self._lock_id, error)
                await _wait(stop, self._retry)
                continue
            try:
                if await self._acquire(conn, stop):
                    await self._lead(conn, stop, part)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
                log.warning("leadership %#x lost its connection (%s)", self._lock_id, error)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), 2)
            await _wait(stop, self._retry)

    async def _acquire(self, conn: asyncpg.Connection, stop: asyncio.Event) -> bool:
        while not stop.is_set():
            self.attempts += 1
            if await conn.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_id):
                return True
            await _wait(stop, self._retry)
        return False

    async def _lead(self, conn: asyncpg.Connection, stop: asyncio.Event, part: Part) -> None:
        until = asyncio.Event()
        watching = asyncio.create_task(self._watch(conn, stop, until))
        self.leading = True
        self.terms += 1
        log.info("leadership %#x: leading (term %d)", self._lock_id, self.terms)
        try:
            await part(until)
        finally:
            self.leading = False
            until.set()
            watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watching
        if not stop.is_set():
            log.warning("leadership %#x: no longer leading", self._lock_id)

    async def _watch(self, conn: asyncpg.Connection, stop: asyncio.Event, until: asyncio.Event) -> None:
        """Set `until` when stopping or when the lock's connection no longer answers."""
        try:
            while not stop.is_set():
                await _wait(stop, self._check)
                await asyncio.wait_for(conn.fetchval("SELECT 1"), self._check * 2)
        except Exception as error:
            log.warning("leadership %#x: lock connection failed (%r)", self._lock_id, error)
        finally:
            until.set()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def alone(engine: AsyncEngine, lock_id: int, work: Callable[[], Awaitable[T]]) -> T | None:
    """Run `work` unless another replica runs its round now (then None): a session advisory lock on a
    connection of its own, held for the round and released after it (or with the session)."""
    async with engine.connect() as conn:
        if not await conn.scalar(select(func.pg_try_advisory_lock(lock_id))):
            return None
        try:
            return await work()
        finally:
            try:
                await conn.scalar(select(func.pg_advisory_unlock(lock_id)))
            except Exception:
                await conn.invalidate()  # closing the session releases the lock
