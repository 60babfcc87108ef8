"""When to try a delivery: backoff after failures and quiet hours (pure)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from messaging.domain.notices import BERLIN


def backoff(attempts: int, base_seconds: float, max_seconds: float) -> timedelta:
    """Wait before try number `attempts` + 1: base, 2×base, 4×base … capped."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


def after_quiet_hours(now: datetime, quiet_from: time | None, quiet_until: time | None) -> datetime | None:
    """The end of the quiet hours (UTC) when `now` lies within them (Europe/Berlin), else None."""
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return None
    local = now.astimezone(BERLIN)
    clock = local.time().replace(tzinfo=None)
    if quiet_from < quiet_until:
        inside = quiet_from <= clock < quiet_until
    else:  # over midnight, e.g. 21:00–07:00
        inside = clock >= quiet_from or clock < quiet_until
    if not inside:
        return None
    end = datetime.combine(local.date(), quiet_until, tzinfo=BERLIN)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), quiet_until, tzinfo=BERLIN)
    return end.astimezone(now.tzinfo)
