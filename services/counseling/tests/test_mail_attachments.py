"""Attachments of mail threads (issue 17): the thread's client and its assignee attach a real PDF,
PNG or JPEG (disguised files are refused naming the field, nothing stored); only who may read the
thread downloads the same bytes; name and content are sealed with the thread's key at rest and gone
with the client's erasure."""

from __future__ import annotations

import uuid

import httpx
import pytest
from counseling_support import new_centre
from mail_support import mail_settings, new_client, send, with_profiles
from sqlalchemy import func, select, text

from counseling.app import clients as cases
from counseling.readmodels.thread_tables import mail_attachments
from teilhabe_kit.testing import sample_image, sample_pdf


@pytest.fixture
async def centre(world, issuer, api):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        centre = await new_centre(identity, issuer)
    await with_profiles(api, centre)
    await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
    return centre


async def _stored(world, thread: str) -> int:
    async with world.engine.connect() as conn:
        return await conn.scalar(select(func.count()).where(mail_attachments.c.thread_id == thread))


async def test_client_and_assignee_attach_and_only_readers_download(api, world, centre, issuer):
    _, client = await new_client(api, centre, issuer)
    _, neighbour = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Mahnung", "Anbei die Mahnung.")
    base = f"/centres/{centre.id}/mail-threads/{thread}"
    pdf, png = sample_pdf("Mahnung Stromanbieter"), sample_image("PNG")
    up = await api.post(f"{base}/attachments", files={"file": ("mahnung.pdf", pdf, "application/pdf")}, headers=client)
    assert up.status_code == 201, up.text
    assert up.json()["filename"] == "mahnung.pdf" and up.json()["author_role"] == "client"
    answer = await api.post(
        f"{base}/attachments", files={"file": ("p-konto.png", png, "image/png")}, headers=centre.counselor
    )
    assert answer.status_code == 201, answer.text

    shown = (await api.get(base, headers=client)).json()
    assert [(f["filename"], f["author_role"], f["size_bytes"]) for f in shown["attachments"]] == [
        ("mahnung.pdf", "client", len(pdf)),
        ("p-konto.png", "counselor", len(png)),
    ]
    for who in (client, centre.counselor, centre.admin):
        got = await api.get(shown["attachments"][0]["url"].removeprefix("/api/v1/counseling"), headers=who)
        assert got.status_code == 200 and got.content == pdf
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["content-disposition"].startswith("attachment")

    other = await new_centre_of(world, issuer)
    url = shown["attachments"][0]["url"].removeprefix("/api/v1/counseling")
    refusals = {
        "anonymous": ({}, 401),
        "neighbour": (neighbour, 404),
        "colleague (not released)": (centre.colleague, 403),
        "counselor of another centre": (other.counselor, 404),
        "admin of another centre": (other.admin, 404),
    }
    for name, (headers, status) in refusals.items():
        assert (await api.get(url, headers=headers)).status_code == status, name
        sent = await api.post(
            f"{base}/attachments", files={"file": ("x.png", sample_image("PNG"), "image/png")}, headers=headers
        )
        assert sent.status_code == status, (name, sent.text)
    assert await _stored(world, thread) == 2


async def new_centre_of(world, issuer):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        return await new_centre(identity, issuer)


@pytest.mark.parametrize(
    "name, content, declared",
    [
        ("brief.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        (
            "brief.pdf",
            b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
            "application/pdf",
        ),
        ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "image/svg+xml"),
        ("foto.png", sample_pdf("verkleidet"), "image/png"),
        ("brief.pdf", sample_image("PNG", seed=3), "application/pdf"),
        ("leer.pdf", b"", "application/pdf"),
        ("programm.exe", b"MZ\x90\x00" + b"\x00" * 64, "application/octet-stream"),
    ],
)
async def test_disguised_files_are_refused_naming_the_field(api, world, centre, issuer, name, content, declared):
    _, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Datei", "Hier.")
    refused = await api.post(
        f"/centres/{centre.id}/mail-threads/{thread}/attachments",
        files={"file": (name, content, declared)},
        headers=client,
    )
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in refused.json()["errors"]] == ["file"]
    assert await _stored(world, thread) == 0


async def test_attachments_are_sealed_at_rest_and_gone_with_the_client(api, world, centre, issuer):
    client_id, client = await new_client(api, centre, issuer)
    thread = await send(api, centre, client, "Bescheid", "Siehe Anhang.")
    base = f"/centres/{centre.id}/mail-threads/{thread}"
    secret_name = f"bescheid-{uuid.uuid4().hex}.pdf"
    pdf = sample_pdf(f"Kontostand {uuid.uuid4().hex}")
    up = await api.post(f"{base}/attachments", files={"file": (secret_name, pdf, "application/pdf")}, headers=client)
    assert up.status_code == 201, up.text
    async with world.engine.connect() as conn:
        dump = str(
            (
                await conn.execute(text("SELECT t::text FROM mail_attachments t WHERE thread_id = :t"), {"t": thread})
            ).all()
        )
    assert thread in dump and "sealed:v1:" in dump  # the scan read the row
    assert secret_name not in dump and "%PDF" not in dump and "JVBER" not in dump  # neither name nor bytes (nor base64)

    async with world.engine.begin() as conn:
        assert await cases.erase(conn, client_id)  # what identity's AccountErased leads to
    assert await _stored(world, thread) == 0
    gone = await api.get(f"{base}/attachments/{up.json()['attachment_id']}", headers=centre.admin)
    assert gone.status_code == 404
    assert (await api.get(base, headers=centre.admin)).json()["attachments"] == []
