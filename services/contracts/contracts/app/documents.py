"""Uploaded documents (signed scans, proofs, photos), sealed with their record's key.

Accepted: PDF (must open with pypdf), JPEG and PNG (checked by their magic bytes), up to the
configured size. A document counts as delivered once stored.
"""

from __future__ import annotations

import base64
import io
import uuid

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.readmodels.tables import documents
from teilhabe_kit import sealing
from teilhabe_kit.problems import NotFound, Unprocessable

MAGIC = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}


def check_upload(content: bytes, *, max_bytes: int, field: str = "file", images_only: bool = False) -> str:
    """The media type of a valid upload (by its content, not its claimed type), or a 422 naming `field`."""
    allowed = {k: v for k, v in MAGIC.items() if not images_only or k != "application/pdf"}
    if not content:
        raise Unprocessable("Die Datei ist leer.", field=field)
    if len(content) > max_bytes:
        raise Unprocessable(f"Die Datei ist zu groß (höchstens {max_bytes // (1024 * 1024)} MB).", field=field)
    kind = next((k for k, magic in allowed.items() if content.startswith(magic)), None)
    if kind is None:
        names = "JPEG oder PNG" if images_only else "PDF, JPEG oder PNG"
        raise Unprocessable(f"Bitte eine Datei als {names} hochladen.", field=field)
    if kind == "application/pdf":
        try:
            if len(PdfReader(io.BytesIO(content)).pages) == 0:
                raise Unprocessable("Das PDF hat keine Seiten.", field=field)
        except PyPdfError:
            raise Unprocessable("Das PDF lässt sich nicht öffnen.", field=field) from None
    return kind


async def store(
    conn: AsyncConnection, record_key: str, kind: str, media_type: str, content: bytes, uploaded_by: str
) -> str:
    document_id = str(uuid.uuid4())
    sealed = await sealing.seal(conn, record_key, base64.b64encode(content).decode())
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
    plain = await sealing.unseal(conn, record_key, row.content) if row else None
    if plain is None:
        raise NotFound("Dieses Dokument gibt es nicht (mehr).")
    return row.media_type, base64.b64decode(plain)


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
