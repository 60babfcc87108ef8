"""Attachments on the mail counseling pages: a file from a form, checked with the kit's document
check before anything is sent (so a refused file leaves no request behind), the upload to the
thread, and the download passed through with counseling's download headers."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from gateway.web.api import call
from teilhabe_kit import documents
from teilhabe_kit.problems import Unprocessable

MAX_BYTES = 10 * 1024 * 1024  # as counseling's MAX_ATTACHMENT_BYTES
FIELD = "attachment"
PASSED_ON = (
    "content-type",
    "content-disposition",
    "x-content-type-options",
    "content-security-policy",
    "cache-control",
)

File = tuple[str, bytes, str]


async def attachment_of(form: FormData) -> tuple[File | None, dict[str, str]]:
    """The form's file (None when none was chosen), or the error at the field."""
    upload = form.get(FIELD)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None, {}
    content = await upload.read(MAX_BYTES + 1)
    try:
        accepted = documents.check(
            content, max_bytes=MAX_BYTES, field=FIELD, filename=upload.filename, declared_type=upload.content_type
        )
    except Unprocessable as refused:
        return None, {FIELD: refused.detail}
    return (accepted.filename or documents.file_name("anhang", accepted.media_type), content, accepted.media_type), {}


async def upload(request: Request, thread_api: str, file: File) -> dict[str, str]:
    """Attach the file to the thread; the error at the field when counseling refuses it."""
    response = await call(request, "counseling", "POST", f"{thread_api}/attachments", files={"file": file})
    if response.status_code == 201:
        return {}
    return {FIELD: str(response.json().get("detail") or "")}


async def download(request: Request, thread_api: str, attachment_id: str) -> Response:
    response = await call(request, "counseling", "GET", f"{thread_api}/attachments/{attachment_id}", expect={200})
    headers = {k: v for k, v in response.headers.items() if k.lower() in PASSED_ON}
    return Response(response.content, headers=headers)
