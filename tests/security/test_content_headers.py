"""Issue 21, finding 4: personal answers are never kept in caches or sniffed into another type,
and documents are downloaded as files, in a sandbox."""

from __future__ import annotations

import uuid

import httpx
from security_support import API, active_seeker, enrollment, signed_in_browser


async def test_personal_json_is_not_cached_nor_sniffed(security_platform):
    person = await active_seeker(security_platform.gateway)
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=15) as client:
        mine = await client.get(f"{API}/identity/accounts/{person.account_id}", headers=person.headers)
        refused = await client.get(f"{API}/identity/accounts/{uuid.uuid4()}", headers=person.headers)
    assert mine.status_code == 200
    for answer in (mine, refused):
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


async def test_signed_in_pages_are_not_cached(security_platform):
    person = await active_seeker(security_platform.gateway)
    async with signed_in_browser(security_platform.gateway, person.email) as browser:
        page = await browser.get("/einstellungen")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


async def test_enrollment_documents_are_downloaded_as_files_in_a_sandbox(security_platform):
    """Was: ``Content-Disposition: inline`` and no nosniff (chat downloads had both and a sandbox)."""
    enrollment_id, guardian, _ = await enrollment(security_platform.gateway)
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=30) as client:
        pdf = await client.get(f"{API}/contracts/enrollments/{enrollment_id}/registration.pdf", headers=guardian)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["Content-Security-Policy"] == "sandbox"
    assert "no-store" in pdf.headers["Cache-Control"]
