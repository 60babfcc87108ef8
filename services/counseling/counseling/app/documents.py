"""Documents per client: stored by the centre's counselors and admins, name and content sealed with
the client's key (the erasure destroys the key; the projection of `ClientErased` deletes the rows). What is accepted is decided by the kit's
one document check (`teilhabe_kit.documents.check`) in the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.clients import of_centre
from counseling.readmodels.tables import client_documents
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound

GONE = "Dieses Dokument gibt es nicht (mehr)."


@dataclass(frozen=True)
class Document:
    id: str
    filename: str
    media_type: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime


async def store(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    client_id: str,
    *,
    filename: str,
    media_type: str,
    content: bytes,
) -> Document:
    access.require_staff(principal, centre_id)
    await of_centre(conn, centre_id, client_id)
    stored = Document(str(uuid.uuid4()), filename, media_type, len(content), principal.account_id, datetime.now(UTC))
    await conn.execute(
        client_documents.insert().values(
            id=stored.id,
            centre_id=centre_id,
            client_id=client_id,
            filename=await sealing.seal(conn, client_id, filename),
            media_type=media_type,
            size_bytes=stored.size_bytes,
            content=await sealing.seal_bytes(conn, client_id, content),
            uploaded_by=stored.uploaded_by,
            uploaded_at=stored.uploaded_at,
        )
    )
    return stored


async def listing(conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str) -> list[Document]:
    """The client's documents, newest first (no content)."""
    access.require_staff(principal, centre_id)
    await of_centre(conn, centre_id, client_id)
    rows = (
        await conn.execute(
            select(client_documents)
            .where(client_documents.c.client_id == client_id, client_documents.c.centre_id == centre_id)
            .order_by(client_documents.c.uploaded_at.desc(), client_documents.c.id)
        )
    ).all()
    return [
        Document(
            id=r.id,
            filename=await sealing.unseal(conn, client_id, r.filename) or "",
            media_type=r.media_type,
            size_bytes=r.size_bytes,
            uploaded_by=r.uploaded_by,
            uploaded_at=r.uploaded_at,
        )
        for r in rows
    ]


async def fetch(
    conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, document_id: str
) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of one of the client's documents; 404 when missing or erased."""
    access.require_staff(principal, centre_id)
    await of_centre(conn, centre_id, client_id)
    row = (
        await conn.execute(
            select(client_documents).where(
                client_documents.c.id == document_id,
                client_documents.c.client_id == client_id,
                client_documents.c.centre_id == centre_id,
            )
        )
    ).first()
    data = await sealing.unseal_bytes(conn, client_id, row.content) if row else None
    if row is None or data is None:
        raise NotFound(GONE)
    filename = await sealing.unseal(conn, client_id, row.filename) or "dokument"
    return filename, row.media_type, data


async def remove(conn: AsyncConnection, principal: Principal, centre_id: str, client_id: str, document_id: str) -> None:
    access.require_staff(principal, centre_id)
    await of_centre(conn, centre_id, client_id)
    gone = await conn.execute(
        delete(client_documents).where(
            client_documents.c.id == document_id,
            client_documents.c.client_id == client_id,
            client_documents.c.centre_id == centre_id,
        )
    )
    if gone.rowcount == 0:
        raise NotFound(GONE)
