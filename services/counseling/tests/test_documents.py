"""Documents per client: the centre's counselors upload a real PDF/PNG/JPEG (disguised files are
refused naming the field), list, download the same bytes and delete; name and content are sealed at
rest; another centre's staff and the client get nothing."""

from __future__ import annotations

import httpx
import pytest
from counseling_support import client_headers, client_login, new_centre, open_client
from sqlalchemy import select

from counseling.readmodels.tables import client_documents
from teilhabe_kit import sealing
from teilhabe_kit.testing import sample_image, sample_pdf


@pytest.fixture(scope="module")
async def centre(world, issuer):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        return await new_centre(identity, issuer)


async def test_upload_list_download_delete(api, world, centre):
    made = await open_client(api, centre)
    base = f"/centres/{centre.id}/clients/{made['client_id']}/documents"
    pdf = sample_pdf("Bescheid Jobcenter")
    up = await api.post(base, files={"file": ("bescheid.pdf", pdf, "application/pdf")}, headers=centre.counselor)
    assert up.status_code == 201, up.text
    doc = up.json()
    assert (
        doc["filename"] == "bescheid.pdf" and doc["media_type"] == "application/pdf" and doc["size_bytes"] == len(pdf)
    )
    png = sample_image("PNG")
    second = await api.post(base, files={"file": ("foto.png", png, "image/png")}, headers=centre.colleague)
    assert second.status_code == 201, second.text
    listed = (await api.get(base, headers=centre.admin)).json()
    assert [d["filename"] for d in listed] == ["foto.png", "bescheid.pdf"], "newest first"
    got = await api.get(f"{base}/{doc['document_id']}", headers=centre.colleague)
    assert got.status_code == 200 and got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    assert (
        got.headers["content-disposition"].startswith("attachment")
        and got.headers["x-content-type-options"] == "nosniff"
    )
    async with world.engine.connect() as conn:
        row = (await conn.execute(select(client_documents).where(client_documents.c.id == doc["document_id"]))).one()
    assert sealing.is_sealed(row.content) and sealing.is_sealed(row.filename), "sealed at rest"
    assert (await api.delete(f"{base}/{doc['document_id']}", headers=centre.counselor)).status_code == 204
    assert (await api.get(f"{base}/{doc['document_id']}", headers=centre.counselor)).status_code == 404
    assert (await api.delete(f"{base}/{doc['document_id']}", headers=centre.counselor)).status_code == 404
    assert [d["filename"] for d in (await api.get(base, headers=centre.counselor)).json()] == ["foto.png"]


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("brief.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        ("brief.pdf", b"%PDF-1.4 <html><script>alert(1)</script>", "application/pdf"),
        ("brief.pdf", sample_image("PNG"), "application/pdf"),
        ("brief.exe", b"MZ\x90\x00", "application/octet-stream"),
        ("brief.pdf", b"", "application/pdf"),
    ],
)
async def test_disguised_or_empty_files_are_refused_naming_the_field(api, world, centre, name, content, declared):
    made = await open_client(api, centre)
    base = f"/centres/{centre.id}/clients/{made['client_id']}/documents"
    response = await api.post(base, files={"file": (name, content, declared)}, headers=centre.counselor)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "file" in response.text
    assert (await api.get(base, headers=centre.counselor)).json() == [], "nothing stored"


async def test_other_centre_and_the_client_get_nothing(api, identity, issuer, centre):
    other = await new_centre(identity, issuer)
    made = await open_client(api, centre)
    base = f"/centres/{centre.id}/clients/{made['client_id']}/documents"
    pdf = sample_pdf("Mietvertrag")
    doc = (await api.post(base, files={"file": ("miete.pdf", pdf, "application/pdf")}, headers=centre.counselor)).json()
    tokens = await client_login(identity, centre.id, made["pseudonym"], made["initial_password"])
    for headers, status in ((other.counselor, 404), (other.admin, 404), (client_headers(tokens), 403), ({}, 401)):
        assert (await api.get(base, headers=headers)).status_code == status
        assert (await api.get(f"{base}/{doc['document_id']}", headers=headers)).status_code == status
        assert (await api.delete(f"{base}/{doc['document_id']}", headers=headers)).status_code == status
    # the other centre's staff through their own centre's path: the client is not theirs
    theirs = f"/centres/{other.id}/clients/{made['client_id']}/documents"
    assert (await api.get(theirs, headers=other.counselor)).status_code == 404
    assert (await api.get(f"{theirs}/{doc['document_id']}", headers=other.admin)).status_code == 404
    assert (await api.delete(f"{theirs}/{doc['document_id']}", headers=other.admin)).status_code == 404
    sneaked = await api.post(theirs, files={"file": ("x.pdf", pdf, "application/pdf")}, headers=other.counselor)
    assert sneaked.status_code == 404
    assert [d["document_id"] for d in (await api.get(base, headers=centre.admin)).json()] == [doc["document_id"]]
