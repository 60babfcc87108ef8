"""Wake-ups for chat streams on any replica: PostgreSQL NOTIFY at commit, keyed by chat or queue."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

CHAT_CHANNEL = "messaging_chats"


def chat_key(chat_id: str) -> str:
    return f"chat:{chat_id}"


def queue_key(centre_id: str) -> str:
    return f"queue:{centre_id}"


async def signal(conn: AsyncConnection, *keys: str) -> None:
    """Wake the streams listening on `keys` once this transaction commits."""
    for key in keys:
        await conn.execute(select(func.pg_notify(CHAT_CHANNEL, key)))
