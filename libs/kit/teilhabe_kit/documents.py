"""Uploaded documents, one check for every service: PDF, PNG and JPEG recognised by their content.

`check` accepts a file only when its first bytes name an allowed type, a PDF opens (pypdf, at least
one page) and holds no HTML where a browser would look for it, an image opens and verifies
(Pillow), and — where given — its name and declared type fit the content. A refusal is a 422
naming the form field, in plain German. `download_headers` are the answer headers of every
download of a stored document: saved, never shown in the site's origin, never sniffed or cached.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import quote

from PIL import Image
from pypdf import PdfReader

from teilhabe_kit.problems import Unprocessable

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
SIGNATURES = {PDF: b"%PDF-", PNG: b"\x89PNG\r\n\x1a\n", JPEG: b"\xff\xd8\xff"}
EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}
IMAGE_FORMATS = {PNG: "PNG", JPEG: "JPEG"}
NAMES = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
EVERY = (PDF, JPEG, PNG)
IMAGES = (JPEG, PNG)
SNIFF_BYTES = 1024
"""How far a browser looks for markup when it guesses a type (WHATWG MIME sniffing: 1445 bytes)."""
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Accepted:
    media_type: str
    filename: str | None


def sniff(content: bytes, allowed: tuple[str, ...] = EVERY) -> str | None:
    """The allowed media type the bytes really are (by their signature), if any."""
    return next((kind for kind in allowed if content.startswith(SIGNATURES[kind])), None)


def _is_pdf(content: bytes) -> bool:
    if _MARKUP.search(content[:SNIFF_BYTES]):
        return False  # HTML in disguise: starts like a PDF, renders as a page
    try:
        return len(PdfReader(io.BytesIO(content)).pages) > 0
    except Exception:  # pypdf raises many kinds of errors on broken files
        return False


def _is_image(content: bytes, media_type: str) -> bool:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            return image.format == IMAGE_FORMATS[media_type]
    except Exception:  # Pillow raises many kinds of errors on broken files
        return False


def _listed(kinds: tuple[str, ...]) -> str:
    names = [NAMES[k] for k in kinds]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " oder " + names[-1]


def _clean_name(filename: str, field: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise Unprocessable("Der Dateiname fehlt oder ist zu lang.", field=field)
    return name


def check(
    content: bytes,
    *,
    max_bytes: int,
    field: str = "file",
    filename: str | None = None,
    declared_type: str | None = None,
    allowed: tuple[str, ...] = EVERY,
) -> Accepted:
    """Accept an upload only if it really is one of `allowed` (else 422 naming `field`)."""
    name = _clean_name(filename, field) if filename is not None else None
    if not content:
        raise Unprocessable("Die Datei ist leer.", field=field)
    if len(content) > max_bytes:
        raise Unprocessable(
            f"Die Datei ist zu groß. Erlaubt sind höchstens {max_bytes // (1024 * 1024)} MB.", field=field
        )
    kind = sniff(content, allowed)
    if kind is None:
        raise Unprocessable(
            f"Diese Art von Datei können wir nicht annehmen. Erlaubt sind {_listed(allowed)}.", field=field
        )
    if not (_is_pdf(content) if kind == PDF else _is_image(content, kind)):
        raise Unprocessable(f"Die Datei lässt sich nicht als {NAMES[kind]} öffnen.", field=field)
    if name is not None and not name.lower().endswith(EXTENSIONS[kind]):
        raise Unprocessable("Der Dateiname passt nicht zum Inhalt der Datei.", field=field)
    if declared_type and declared_type.split(";")[0].strip().lower() not in (kind, "application/octet-stream"):
        raise Unprocessable("Die Art der Datei passt nicht zu ihrem Inhalt.", field=field)
    return Accepted(media_type=kind, filename=name)


def file_name(stem: str, media_type: str) -> str:
    """A download's name: `stem` with the extension of its type (``vertrag-42.pdf``)."""
    return stem + EXTENSIONS.get(media_type, ("",))[0]


def download_headers(filename: str) -> dict[str, str]:
    """Headers of a document download: saved as a file (never opened in the site's origin), in a
    sandbox if opened anyway, never sniffed into another type, never kept in a shared cache."""
    return {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
        "Cache-Control": "private, no-store",
    }
