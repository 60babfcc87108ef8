"""Uploaded documents (signed scans, proofs, photos), sealed with their record's key.

What is accepted is decided by the kit's one document check (`teilhabe_kit.documents.check`).
A document counts as delivered once stored.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.readmodels.tables import documents
from teilhabe_kit import sealing
from teilhabe_kit.problems import NotFound


async def store(
    conn: AsyncConnection, record_key: str, kind: str, media_type: str, content: bytes, uploaded_by: str
) -> str:
    document_id = str(uuid.uuid4())
    sealed = await sealing.seal_bytes(conn, record_key, content)
    await conn.execute(
        documents.insert().values(
            document_id=document_id,
            record_key=record_key,
            kind=kind,
            media_type=media_type,
            size_bytes=len(content),
            content=sealed,
            uploaded_by=uploaded_by,
        )
    )
    return document_id


async def fetch(conn: AsyncConnection, record_key: str, document_id: str) -> tuple[str, bytes]:
    """(media type, bytes) of a document of this record; 404 when missing or erased."""
    row = (
        await conn.execute(
            select(documents).where(documents.c.document_id == document_id, documents.c.record_key == record_key)
        )
    ).first()
    data = await sealing.unseal_bytes(conn, record_key, row.content) if row else None
    if row is None or data is None:
        raise NotFound("Dieses Dokument gibt es nicht (mehr).")
    return row.media_type, data


async def destroy(conn: AsyncConnection, record_key: str, document_id: str) -> None:
    """Delete one document of this record for good (its sealed content goes with the row)."""
    await conn.execute(
        documents.delete().where(documents.c.document_id == document_id, documents.c.record_key == record_key)
    )


async def listing(conn: AsyncConnection, record_key: str) -> list[dict]:
    """Id, kind and upload time of a record's documents (no content)."""
    rows = await conn.execute(
        select(documents.c.document_id, documents.c.kind, documents.c.media_type, documents.c.uploaded_at)
        .where(documents.c.record_key == record_key)
        .order_by(documents.c.uploaded_at)
    )
    return [
        {
            "document_id": r.document_id,
            "kind": r.kind,
            "media_type": r.media_type,
            "uploaded_at": r.uploaded_at.isoformat(),
        }
        for r in rows
    ]
