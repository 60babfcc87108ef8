"""Progress lines of long runs: done / total, rate, time left; at most one per interval."""

from __future__ import annotations

from teilhabe_kit.progress import Progress


def test_reports_at_most_once_per_interval_with_rate_and_time_left():
    now = [0.0]
    lines: list[str] = []
    progress = Progress("replay directory", 10_000, every_s=2.0, report=lines.append, clock=lambda: now[0])
    for _ in range(4):
        now[0] += 1.0
        progress.advance(1_000)
    progress.finish()
    assert lines == [
        "replay directory: 2,000 / 10,000 events (20.0 %), 1,000/s, 8 s left",
        "replay directory: 4,000 / 10,000 events (40.0 %), 1,000/s, 6 s left",
        "replay directory: 4,000 / 10,000 events (40.0 %), 1,000/s, 6 s left",
    ]


def test_nothing_to_do_says_so_without_dividing_by_zero():
    lines: list[str] = []
    progress = Progress("replay empty", 0, report=lines.append, clock=lambda: 5.0)
    progress.finish()
    assert lines == ["replay empty: 0 / 0 events, 0/s"]
