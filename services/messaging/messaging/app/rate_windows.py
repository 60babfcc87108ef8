"""Fixed-window rate limits kept in PostgreSQL (shared by every replica)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.readmodels.tables import rate_windows
from teilhabe_kit.problems import Problem


class TooMany(Problem):
    status = 429
    title = "Too Many Requests"

    def __init__(self, detail: str, *, en: str, retry_after: int) -> None:
        super().__init__(detail, en=en)
        self.retry_after = retry_after


async def hit(conn: AsyncConnection, bucket: str, limit: int, window_seconds: int) -> None:
    """Count one hit in `bucket`'s current window; `TooMany` beyond `limit` hits."""
    now = datetime.now(UTC)
    start = datetime.fromtimestamp(now.timestamp() // window_seconds * window_seconds, UTC)
    hits = await conn.scalar(
        insert(rate_windows)
        .values(bucket=bucket, window_start=start, hits=1)
        .on_conflict_do_update(index_elements=["bucket", "window_start"], set_={"hits": rate_windows.c.hits + 1})
        .returning(rate_windows.c.hits)
    )
    await conn.execute(delete(rate_windows).where(rate_windows.c.bucket == bucket, rate_windows.c.window_start < start))
    if int(hits or 0) > limit:
        raise TooMany(
            "Zu viele neue Chats von hier. Bitte warten Sie ein wenig und versuchen Sie es dann noch einmal.",
            en="Too many new chats from here. Please wait a little and try again.",
            retry_after=int(start.timestamp() + window_seconds - now.timestamp()) + 1,
        )
