"""Crypto-shredding of a client's mail threads: each thread's key is destroyed, so its subject and
every text in the event store and the read model can never be opened again."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.readmodels.thread_tables import mail_threads
from teilhabe_kit import sealing


async def erase_threads_of(conn: AsyncConnection, client_id: str) -> None:
    for thread_id in (await conn.scalars(select(mail_threads.c.id).where(mail_threads.c.client_id == client_id))).all():
        await sealing.erase(conn, thread_id)
    await conn.execute(
        update(mail_threads).where(mail_threads.c.client_id == client_id).values(sealed_subject=None, draft_by=None)
    )
