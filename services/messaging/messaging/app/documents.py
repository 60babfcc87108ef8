"""Documents in a conversation: checked (type by content, size), stored by content hash, delivered once stored."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import messages
from messaging.app.conversations import access
from messaging.app.storage import FileStore
from messaging.readmodels.tables import documents
from teilhabe_kit import documents as kit_documents
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Forbidden, NotFound, Problem


class Gone(Problem):
    status = 410
    title = "Gone"


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str


async def upload(
    conn: AsyncConnection,
    store: FileStore,
    principal: Principal,
    conversation_id: str,
    filename: str,
    declared_type: str | None,
    content: bytes,
    text: str | None,
    max_bytes: int,
    idempotency_key: str | None = None,
) -> dict:
    """Check, store and post a document; a refused file leaves nothing behind (422 naming `file`)."""
    entry = await access(conn, principal, conversation_id, lock=True)
    if (first := await messages.earlier(conn, principal, conversation_id, idempotency_key)) is not None:
        row = (await conn.execute(select(documents).where(documents.c.id == first.document_id))).one()
        return {"id": row.id, "message_id": first.id, "media_type": row.media_type, "size": row.size}
    accepted = await asyncio.to_thread(
        kit_documents.check, content, max_bytes=max_bytes, filename=filename, declared_type=declared_type
    )
    content_hash = store.save(content)
    document_id = uuid.uuid4().hex
    await conn.execute(
        documents.insert().values(
            id=document_id,
            conversation_id=conversation_id,
            uploader_id=principal.account_id,
            filename=await sealing.seal(conn, principal.account_id, accepted.filename),
            media_type=accepted.media_type,
            size=len(content),
            content_hash=content_hash,
            delivered_at=datetime.now(UTC),
        )
    )
    message = await messages.post(
        conn, principal, conversation_id, text, document_id=document_id, checked=entry, idempotency_key=idempotency_key
    )
    return {"id": document_id, "message_id": message["id"], "media_type": accepted.media_type, "size": len(content)}


async def listing(conn: AsyncConnection, principal: Principal, conversation_id: str) -> list[dict]:
    await access(conn, principal, conversation_id)
    rows = (
        await conn.execute(
            select(documents)
            .where(documents.c.conversation_id == conversation_id)
            .order_by(documents.c.delivered_at.desc())
        )
    ).all()
    return [
        {
            "id": r.id,
            "uploader_id": r.uploader_id,
            "media_type": r.media_type,
            "size": r.size,
            "delivered_at": r.delivered_at.isoformat(),
            "erased": r.erased_at is not None,
            "filename": None if r.erased_at else await sealing.unseal(conn, r.uploader_id, r.filename),
        }
        for r in rows
    ]


async def download(
    conn: AsyncConnection, store: FileStore, principal: Principal, conversation_id: str, document_id: str
) -> Download:
    await access(conn, principal, conversation_id)
    row = (
        await conn.execute(
            select(documents).where(documents.c.id == document_id, documents.c.conversation_id == conversation_id)
        )
    ).first()
    if row is None:
        raise NotFound("Dieses Dokument gibt es nicht.")
    if row.erased_at is not None:
        raise Gone("Dieses Dokument wurde gelöscht.")
    filename = await sealing.unseal(conn, row.uploader_id, row.filename) or "dokument"
    return Download(store.read(row.content_hash), row.media_type, filename)


async def delete(
    conn: AsyncConnection, store: FileStore, principal: Principal, conversation_id: str, document_id: str
) -> None:
    """The uploader deletes their document: it reads as deleted, its file goes when nobody else uses it."""
    await access(conn, principal, conversation_id)
    row = (
        await conn.execute(
            select(documents)
            .where(documents.c.id == document_id, documents.c.conversation_id == conversation_id)
            .with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("Dieses Dokument gibt es nicht.")
    if row.uploader_id != principal.account_id:
        raise Forbidden("Ein Dokument kann nur löschen, wer es geschickt hat.")
    if row.erased_at is not None:
        return
    await conn.execute(update(documents).where(documents.c.id == document_id).values(erased_at=func.now()))
    await forget_unused(conn, store, row.content_hash)


async def forget_unused(conn: AsyncConnection, store: FileStore, content_hash: str) -> None:
    """Delete a stored file once no readable document refers to it any more."""
    still_used = await conn.scalar(
        select(func.count()).where(documents.c.content_hash == content_hash, documents.c.erased_at.is_(None))
    )
    if not still_used:
        store.delete(content_hash)
