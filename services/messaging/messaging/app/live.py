"""Wake-ups on new notifications across processes: PostgreSQL LISTEN on the channel that
`notifications.create` NOTIFYs at commit. SSE streams wait per person; the delivery worker on any."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.app.notifications import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class Hub:
    def __init__(self, engine: AsyncEngine) -> None:
        self._url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self.any = asyncio.Event()

    @contextlib.contextmanager
    def subscribe(self, person_id: str) -> Iterator[asyncio.Event]:
        event = asyncio.Event()
        self._waiters.setdefault(person_id, set()).add(event)
        try:
            yield event
        finally:
            waiters = self._waiters.get(person_id, set())
            waiters.discard(event)
            if not waiters:
                self._waiters.pop(person_id, None)

    def _notified(self, _conn: object, _pid: int, _channel: str, person_id: object) -> None:
        self.any.set()
        for event in self._waiters.get(str(person_id), ()):
            event.set()

    def _wake_all(self) -> None:
        self.any.set()
        for waiters in self._waiters.values():
            for event in waiters:
                event.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Listen until `stop`; reconnect after losing the connection (waking everyone to catch up)."""
        while not stop.is_set():
            try:
                connection = await asyncpg.connect(self._url)
                try:
                    await connection.add_listener(NOTIFY_CHANNEL, self._notified)
                    self._wake_all()
                    while not stop.is_set() and not connection.is_closed():
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(stop.wait(), timeout=5)
                finally:
                    with contextlib.suppress(Exception):
                        await connection.close()
            except (OSError, asyncpg.PostgresError) as error:
                log.warning("notification listener lost (%s); reconnecting", type(error).__name__)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=2)
