"""Crypto-shredding of a client's mail threads: each thread's key is destroyed, so its subject and
every text and attachment in the event store and the read model can never be opened again (the
attachments' rows are deleted as well)."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.readmodels.thread_tables import mail_attachments, mail_threads
from teilhabe_kit import sealing


async def erase_threads_of(conn: AsyncConnection, client_id: str) -> None:
    thread_ids = (await conn.scalars(select(mail_threads.c.id).where(mail_threads.c.client_id == client_id))).all()
    for thread_id in thread_ids:
        await sealing.erase(conn, thread_id)
    await conn.execute(delete(mail_attachments).where(mail_attachments.c.thread_id.in_(thread_ids)))
    await conn.execute(
        update(mail_threads).where(mail_threads.c.client_id == client_id).values(sealed_subject=None, draft_by=None)
    )
