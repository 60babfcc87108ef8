"""Wake-ups across processes: PostgreSQL LISTEN on the channel that `notifications.create` NOTIFYs at
commit (SSE streams wait per person; the delivery worker on any) and on the chats' channel
(`chat_signals`: chat streams and queues wait per key, without waking the delivery worker)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.app.chat_signals import CHAT_CHANNEL
from messaging.app.notifications import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class Hub:
    def __init__(self, engine: AsyncEngine) -> None:
        self._url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._waiters: dict[str, set[asyncio.Event]] = {}
        self.any = asyncio.Event()

    @contextlib.contextmanager
    def subscribe(self, *keys: str) -> Iterator[asyncio.Event]:
        """One event set whenever any of `keys` (a person id, or a chat signal's key) is notified."""
        event = asyncio.Event()
        for key in keys:
            self._waiters.setdefault(key, set()).add(event)
        try:
            yield event
        finally:
            for key in keys:
                waiters = self._waiters.get(key, set())
                waiters.discard(event)
                if not waiters:
                    self._waiters.pop(key, None)

    def _chat_notified(self, _conn: object, _pid: int, _channel: str, key: object) -> None:
        for event in self._waiters.get(str(key), ()):
            event.set()

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
                    await connection.add_listener(CHAT_CHANNEL, self._chat_notified)
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
