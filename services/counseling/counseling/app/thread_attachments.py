"""Attachments of mail threads: the thread's client or its assignee adds a file (checked by the
kit's document check in the API); whoever may read the thread downloads it. Name and content are
sealed with the thread's key, so the client's erasure shreds them with the texts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app.threads import readable
from counseling.domain import threads
from counseling.readmodels.thread_tables import mail_attachments as a
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import NotFound

GONE = "Diesen Anhang gibt es nicht (mehr)."


@dataclass(frozen=True)
class Attachment:
    id: str
    filename: str
    media_type: str
    size_bytes: int
    author_id: str
    author_role: Literal["client", "counselor"]
    uploaded_at: datetime


async def attach(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    thread_id: str,
    *,
    filename: str,
    media_type: str,
    content: bytes,
) -> Attachment:
    state = await readable(conn, principal, centre_id, thread_id)
    role: Literal["client", "counselor"] = "client" if principal.has(Role.CLIENT) else "counselor"
    threads.attach(state, principal.account_id, role)
    stored = Attachment(
        str(uuid.uuid4()), filename, media_type, len(content), principal.account_id, role, datetime.now(UTC)
    )
    await conn.execute(
        a.insert().values(
            id=stored.id,
            thread_id=thread_id,
            centre_id=centre_id,
            filename=await sealing.seal(conn, thread_id, filename),
            media_type=media_type,
            size_bytes=stored.size_bytes,
            content=await sealing.seal_bytes(conn, thread_id, content),
            author_id=stored.author_id,
            author_role=role,
            uploaded_at=stored.uploaded_at,
        )
    )
    return stored


async def of_thread(conn: AsyncConnection, thread_id: str) -> list[Attachment]:
    """The thread's attachments, oldest first (no content); the caller checked who reads the thread."""
    rows = (await conn.execute(select(a).where(a.c.thread_id == thread_id).order_by(a.c.uploaded_at, a.c.id))).all()
    return [
        Attachment(
            id=r.id,
            filename=await sealing.unseal(conn, thread_id, r.filename) or "",
            media_type=r.media_type,
            size_bytes=r.size_bytes,
            author_id=r.author_id,
            author_role=r.author_role,
            uploaded_at=r.uploaded_at,
        )
        for r in rows
    ]


async def fetch(
    conn: AsyncConnection, principal: Principal, centre_id: str, thread_id: str, attachment_id: str
) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) for who may read the thread; 404 when missing or erased."""
    await readable(conn, principal, centre_id, thread_id)
    row = (await conn.execute(select(a).where(a.c.id == attachment_id, a.c.thread_id == thread_id))).first()
    data = await sealing.unseal_bytes(conn, thread_id, row.content) if row else None
    if row is None or data is None:
        raise NotFound(GONE)
    filename = await sealing.unseal(conn, thread_id, row.filename) or "anhang"
    return filename, row.media_type, data
