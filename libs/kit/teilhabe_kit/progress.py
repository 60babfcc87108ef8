"""Progress of a long run over a known number of events: done / total, rate, time left.

Rebuilds report through it (`replay.replay`), at most once every `every_s` seconds and once at the
end, as a log line at INFO: ``replay directory: 120,000 / 780,286 events (15.4 %), 41,000/s, 16 s left``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Progress:
    def __init__(
        self,
        name: str,
        total: int,
        *,
        every_s: float = 2.0,
        report: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name, self.total, self.done = name, total, 0
        self._every, self._clock = every_s, clock
        self._report = report or log.info
        self._started = self._last = clock()

    def advance(self, events: int) -> None:
        """`events` more are done; report when the last report is `every_s` old."""
        self.done += events
        if self._clock() - self._last >= self._every:
            self._last = self._clock()
            self._report(self.line())

    def finish(self) -> None:
        self._report(self.line())

    def line(self) -> str:
        elapsed = max(self._clock() - self._started, 1e-9)
        rate = self.done / elapsed
        share = f" ({100 * self.done / self.total:.1f} %)" if self.total else ""
        left = max(self.total - self.done, 0)
        eta = f", {left / rate:,.0f} s left" if rate and left else ""
        return f"{self.name}: {self.done:,} / {self.total:,} events{share}, {rate:,.0f}/s{eta}"
