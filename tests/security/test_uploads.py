"""Issue 21, finding 6: one document check for every upload (teilhabe_kit.documents): a file that
starts like a PDF but holds HTML is refused by contracts through the gateway as by messaging
(services/messaging/tests/test_conversations.py), a real PDF is taken."""

from __future__ import annotations

import httpx
import pytest
from security_support import API, enrollment

from teilhabe_kit.testing import sample_image, sample_pdf

HTML_AS_PDF = b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


@pytest.mark.parametrize(
    "name,content,declared",
    [
        ("nachweis.pdf", HTML_AS_PDF, "application/pdf"),
        ("nachweis.png", b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>", "image/png"),
        ("nachweis.svg", SVG, "image/svg+xml"),
        ("nachweis.pdf", sample_image("PNG"), "application/pdf"),  # name and content disagree
    ],
)
async def test_disguised_documents_are_refused_naming_the_field(security_platform, name, content, declared):
    enrollment_id, guardian, staff = await enrollment(security_platform.gateway)
    base = f"{API}/contracts/enrollments/{enrollment_id}"
    async with httpx.AsyncClient(base_url=security_platform.gateway, timeout=30) as client:
        assert (await client.post(f"{base}/submission", headers=guardian)).status_code == 200
        decided = await client.post(f"{base}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
        assert decided.status_code == 200, decided.text
        income = await client.put(f"{base}/income", json={"household_income_cents": 2_500_000}, headers=guardian)
        assert income.status_code == 200, income.text
        demanded = await client.post(f"{base}/income-proof-demand", headers=staff)
        assert demanded.status_code == 200, demanded.text
        refused = await client.post(f"{base}/income-proof", headers=guardian, files={"file": (name, content, declared)})
        taken = await client.post(
            f"{base}/income-proof", headers=guardian, files={"file": ("nachweis.pdf", sample_pdf(), "application/pdf")}
        )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"][0]["field"] == "file"
    assert taken.status_code == 200, taken.text
