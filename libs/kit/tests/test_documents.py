"""The one document check of every service: real PDFs and images pass, anything disguised fails."""

from __future__ import annotations

import pytest

from teilhabe_kit import documents
from teilhabe_kit.problems import Unprocessable
from teilhabe_kit.testing import sample_image, sample_pdf

PDF = sample_pdf("Vertrag")
PNG = sample_image("PNG")
JPEG = sample_image("JPEG")
HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


@pytest.mark.parametrize(
    "name,declared,content,expected",
    [
        ("a.pdf", "application/pdf", PDF, "application/pdf"),
        ("Bild.PNG", "image/png", PNG, "image/png"),
        ("foto.jpeg", "image/jpeg", JPEG, "image/jpeg"),
        ("foto.jpg", "application/octet-stream", JPEG, "image/jpeg"),
        ("C:\\Users\\x\\scan.pdf", None, PDF, "application/pdf"),
    ],
)
def test_real_documents_are_accepted_with_a_clean_name(name, declared, content, expected):
    accepted = documents.check(content, max_bytes=100_000, filename=name, declared_type=declared)
    assert accepted.media_type == expected
    assert "\\" not in accepted.filename and "/" not in accepted.filename


@pytest.mark.parametrize(
    "name,declared,content,max_bytes",
    [
        ("a.pdf", "application/pdf", b"MZ\x90\x00" + PDF, 100_000),  # a program named .pdf
        ("a.exe", "application/pdf", PDF, 100_000),  # name does not fit the content
        ("a.png", "image/png", PDF, 100_000),
        ("a.pdf", "text/html", PDF, 100_000),  # declared type does not fit
        ("a.pdf", "application/pdf", PDF, 100),  # too big
        ("a.pdf", "application/pdf", b"", 100_000),  # empty
        ("", "application/pdf", PDF, 100_000),  # no name
        ("a.svg", "image/svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg'/>", 100_000),  # scripts in images
        ("a.pdf", "application/pdf", HTML_AS_PDF, 100_000),  # HTML in disguise
        ("a.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", 100_000),  # no page
        ("a.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, 100_000),  # a PNG signature, no image
        ("a.jpg", "image/jpeg", b"\xff\xd8\xff\xe0<html><script>x</script>", 100_000),
    ],
)
def test_disguised_broken_or_unfitting_files_are_refused_naming_the_field(name, declared, content, max_bytes):
    with pytest.raises(Unprocessable) as refused:
        documents.check(content, max_bytes=max_bytes, filename=name, declared_type=declared, field="scan")
    assert refused.value.field == "scan"


def test_a_pdf_where_only_images_are_allowed_is_refused():
    with pytest.raises(Unprocessable, match="JPEG oder PNG"):
        documents.check(PDF, max_bytes=100_000, allowed=documents.IMAGES)
    assert documents.check(PNG, max_bytes=100_000, allowed=documents.IMAGES).media_type == "image/png"


def test_downloads_are_attachments_in_a_sandbox_never_sniffed_or_cached():
    headers = documents.download_headers("Vertrag März.pdf")
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''Vertrag%20M%C3%A4rz.pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "sandbox"
    assert "no-store" in headers["Cache-Control"]
    assert documents.file_name("dokument-1", "image/jpeg") == "dokument-1.jpg"
