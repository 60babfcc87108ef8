"""A client's erasure (identity's `AccountErased`, counseling's `ClientErased`) shreds their chats:
the key of every chat of theirs (client and claimed walk-in chats) is destroyed; in group chats,
which others share, their own messages are deleted."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app.chat_access import key_of
from messaging.readmodels.tables import chat_members, chat_messages, chats, counseling_clients
from teilhabe_kit import sealing


async def erase_client(conn: AsyncConnection, client_id: str) -> None:
    own = (await conn.execute(select(chats.c.id).where(chats.c.client_id == client_id))).scalars().all()
    for chat_id in own:
        await sealing.erase(conn, key_of(chat_id))
    groups = select(chat_members.c.chat_id).where(chat_members.c.person_id == client_id)
    await conn.execute(
        update(chat_messages)
        .where(chat_messages.c.author_id == client_id, chat_messages.c.chat_id.in_(groups))
        .values(text=None)
    )
    await conn.execute(delete(counseling_clients).where(counseling_clients.c.client_id == client_id))
