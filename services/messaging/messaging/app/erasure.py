"""Erasure on `AccountErased`: the person's texts and documents become unreadable; conversations stay."""

from __future__ import annotations

from sqlalchemy import delete, func, update
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app.documents import forget_unused
from messaging.app.storage import FileStore
from messaging.readmodels.tables import documents, notifications, preferences, presence
from teilhabe_kit import sealing


async def erase_person(conn: AsyncConnection, person_id: str, store: FileStore) -> None:
    """Destroy the person's key (their sealed texts read as erased) and delete their documents."""
    await sealing.erase(conn, person_id)
    hashes = (
        (
            await conn.execute(
                update(documents)
                .where(documents.c.uploader_id == person_id, documents.c.erased_at.is_(None))
                .values(erased_at=func.now())
                .returning(documents.c.content_hash)
            )
        )
        .scalars()
        .all()
    )
    for content_hash in set(hashes):
        await forget_unused(conn, store, content_hash)
    await conn.execute(delete(notifications).where(notifications.c.recipient_id == person_id))
    await conn.execute(delete(preferences).where(preferences.c.person_id == person_id))
    await conn.execute(delete(presence).where(presence.c.person_id == person_id))
