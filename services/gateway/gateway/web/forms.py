"""Form helpers: CSRF check for every unsafe web request, weekly ranges, problem → field errors."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from gateway.sessions import CSRF_FIELD, CSRF_HEADER
from gateway.tokens import CsrfRejected
from gateway.web.render import session_of


async def csrf_protect(request: Request) -> None:
    """Router dependency: POST/PUT/PATCH/DELETE need the session's CSRF token (field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    presented: str | UploadFile | None = request.headers.get(CSRF_HEADER)
    if not presented:
        form = await request.form()
        presented = form.get(CSRF_FIELD)
    if not session_of(request).csrf_ok(presented if isinstance(presented, str) else None):
        raise CsrfRejected()


def form_text(form: FormData, name: str) -> str:
    """A form field's text without surrounding blanks ("" when the field is missing)."""
    return str(form.get(name, "")).strip()


MAX_UPLOAD = 5 * 1024 * 1024  # as contracts' max_upload_bytes
SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}


async def scan_upload(form: FormData, name: str = "file") -> tuple[str, bytes, str] | str:
    """A signed scan from the form as (file name, bytes, type), or why it cannot be sent:
    "file_missing", "file_too_big", "file_type" (by the browser's type; contracts checks the content)."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return "file_missing"
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return "file_too_big"
    if upload.content_type not in SCAN_TYPES:
        return "file_type"
    return upload.filename, data, upload.content_type


TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?(?:\s*uhr)?$", re.IGNORECASE)


def clock(text: str) -> str | None:
    """A time of day as typed by people ("9", "9:30", "0930", "09.30 Uhr") as ``HH:MM``, else None."""
    match = TIME.match(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    return f"{hours:02d}:{minutes:02d}" if hours < 24 and minutes < 60 else None


def weekly_ranges(form: FormData, prefix: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, str]]]:
    """Weekly ranges from ``<prefix>_from_<day>``/``_to_<day>`` fields, and the values to re-show.

    A day with an unreadable time or an end before its start gives a range with ``end <= start``,
    which the callers report as an error."""
    ranges, shown = [], {}
    for day in range(7):
        start = str(form.get(f"{prefix}_from_{day}", "")).strip()
        end = str(form.get(f"{prefix}_to_{day}", "")).strip()
        if start or end:
            shown[str(day)] = {"start": start, "end": end}
            ranges.append({"weekday": day, "start": clock(start) or "", "end": clock(end) or ""})
    return ranges, shown


def bad_ranges(ranges: list[dict[str, Any]]) -> bool:
    """None given, or one with an unreadable time or an end not after its start."""
    return not ranges or any(not r["start"] or not r["end"] or r["end"] <= r["start"] for r in ranges)


def shown_ranges(ranges: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    return {str(r["weekday"]): {"start": str(r["start"])[:5], "end": str(r["end"])[:5]} for r in ranges}


def field_errors(response: httpx.Response, names: dict[str, str] | None = None) -> dict[str, str]:
    """A service's 422 problem as {form field: message}; `names` maps API fields to form fields."""
    names = names or {}
    try:
        body = response.json()
    except ValueError:
        return {"form": "Unbekannter Fehler"}
    errors: dict[str, str] = {}
    for error in body.get("errors") or []:
        field = str(error.get("field") or "form")
        top = field.split(".")[0]
        errors.setdefault(names.get(field, names.get(top, top)), str(error.get("message", "")))
    if not errors:  # a problem about the whole form (e.g. 409): shown at the field `names` gives for "form"
        errors[names.get("form", "form")] = str(body.get("detail") or body.get("title") or "Fehler")
    return errors
