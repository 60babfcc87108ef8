"""Which documents are accepted: PDF, PNG and JPEG, recognised by their first bytes (pure)."""

from __future__ import annotations

from dataclasses import dataclass

SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}


class Refused(ValueError):
    """The file is not accepted; the message says why in plain German."""


@dataclass(frozen=True)
class Accepted:
    media_type: str
    filename: str


def sniff(head: bytes) -> str | None:
    """The media type the bytes really are, if it is one we accept."""
    for media_type, magics in SIGNATURES.items():
        if any(head.startswith(m) for m in magics):
            return media_type
    return None


def check(filename: str, declared_type: str | None, head: bytes, size: int, max_bytes: int) -> Accepted:
    """Accept a document only if its content, name and declared type agree and it is small enough."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 200:
        raise Refused("Der Dateiname fehlt oder ist zu lang.")
    if size == 0:
        raise Refused("Die Datei ist leer.")
    if size > max_bytes:
        raise Refused(f"Die Datei ist zu groß. Erlaubt sind höchstens {max_bytes // (1024 * 1024)} MB.")
    actual = sniff(head)
    if actual is None:
        raise Refused("Diese Art von Datei können wir nicht annehmen. Erlaubt sind PDF, PNG und JPEG.")
    if not name.lower().endswith(EXTENSIONS[actual]):
        raise Refused("Der Dateiname passt nicht zum Inhalt der Datei.")
    if declared_type and declared_type.split(";")[0].strip().lower() not in (actual, "application/octet-stream"):
        raise Refused("Die Art der Datei passt nicht zu ihrem Inhalt.")
    return Accepted(media_type=actual, filename=name)
