"""Documents per client (PDF, PNG, JPEG; the kit checks what a file really is): the centre's
counselors and admins upload, list, download and delete them; the client's erasure shreds them.
Clients of the centre get 403, everyone else 404."""

from __future__ import annotations

from fastapi import APIRouter, Response, UploadFile

from counseling.api import models
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.app import documents as cases
from teilhabe_kit import documents

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}/clients/{{client_id}}/documents", tags=["Dokumente"])
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@router.post(
    "",
    status_code=201,
    response_model=models.DocumentOut,
    summary="Dokument hochladen (PDF, PNG oder JPEG, höchstens 10 MB) (Beratende, Admins)",
)
async def upload(centre_id: str, client_id: str, file: UploadFile, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    content = await file.read(MAX_DOCUMENT_BYTES + 1)
    accepted = documents.check(
        content,
        max_bytes=MAX_DOCUMENT_BYTES,
        field="file",
        filename=file.filename or "dokument",
        declared_type=file.content_type,
    )
    name = accepted.filename or documents.file_name("dokument", accepted.media_type)
    async with engine.begin() as conn:
        stored = await cases.store(
            conn, caller, centre_id, client_id, filename=name, media_type=accepted.media_type, content=content
        )
    return _out(centre_id, client_id, stored)


@router.get("", response_model=list[models.DocumentOut], summary="Dokumente, neueste zuerst (Beratende, Admins)")
async def listing(centre_id: str, client_id: str, caller: Caller, engine: Engine):
    async with engine.connect() as conn:
        return [_out(centre_id, client_id, d) for d in await cases.listing(conn, caller, centre_id, client_id)]


@router.get("/{document_id}", summary="Dokument herunterladen (Beratende, Admins)", response_class=Response)
async def download(centre_id: str, client_id: str, document_id: str, caller: Caller, engine: Engine):
    async with engine.connect() as conn:
        filename, media_type, content = await cases.fetch(conn, caller, centre_id, client_id, document_id)
    return Response(content, media_type=media_type, headers=documents.download_headers(filename))


@router.delete("/{document_id}", status_code=204, summary="Dokument löschen (Beratende, Admins)")
async def delete(centre_id: str, client_id: str, document_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.remove(conn, caller, centre_id, client_id, document_id)
    return Response(status_code=204)


def _out(centre_id: str, client_id: str, doc: cases.Document) -> models.DocumentOut:
    return models.DocumentOut(
        document_id=doc.id,
        filename=doc.filename,
        media_type=doc.media_type,
        size_bytes=doc.size_bytes,
        uploaded_by=doc.uploaded_by,
        uploaded_at=doc.uploaded_at,
        url=f"{PREFIX}/centres/{centre_id}/clients/{client_id}/documents/{doc.id}",
    )
