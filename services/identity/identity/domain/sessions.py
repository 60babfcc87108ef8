"""Rules of refresh tokens and login throttling (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class RefreshOutcome(StrEnum):
    ROTATE = "rotate"  # valid: issue a successor in the same family, this one is used up
    REUSED = "reused"  # already rotated: someone replays a stolen token -> revoke the family
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class RefreshToken:
    id: str
    family_id: str
    account_id: str
    expires_at: datetime
    rotated_at: datetime | None = None
    revoked_at: datetime | None = None
    centre_id: str | None = None  # the counseling centre the session acts for


def check_refresh(token: RefreshToken, now: datetime) -> RefreshOutcome:
    if token.revoked_at is not None:
        return RefreshOutcome.REVOKED
    if token.rotated_at is not None:
        return RefreshOutcome.REUSED
    if token.expires_at <= now:
        return RefreshOutcome.EXPIRED
    return RefreshOutcome.ROTATE


def retry_after(failures: list[datetime], now: datetime, *, limit: int, window: timedelta) -> int | None:
    """Seconds to wait when `limit` failures fall within `window` before `now`, else None."""
    recent = sorted(t for t in failures if t > now - window)
    if len(recent) < limit:
        return None
    return max(1, int((recent[-limit] + window - now).total_seconds()) + 1)


def minutes_to_wait(seconds: int) -> int:
    """Whole minutes shown for a wait, rounded to the nearest so the same lock reads alike seconds later."""
    return max(1, (seconds + 30) // 60)
