"""Authz matrix over every endpoint of counseling: the centre's counselor and admin, a client of the
centre, another centre's counselor and admin, a seeker, anonymous callers and other services. Each
refused call is 401/403/404 and changes nothing (event store and outbox unchanged)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from counseling_support import SERVICE_SECRET, client_headers, client_login, fingerprint, new_centre, open_client
from sqlalchemy import func, select

from counseling.readmodels.tables import client_documents
from teilhabe_kit.testing import bearer, sample_image, sample_pdf

STAFF, ADMIN, CLIENT, INTERNAL = "staff", "admin", "client", "internal"
MAIL_COUNSELING = (
    "/api/v1/counseling/centres/{centre_id}/mail-threads",
    "/api/v1/counseling/centres/{centre_id}/mail-settings",
    "/api/v1/counseling/centres/{centre_id}/mail-statistics",
)
"""Mail counseling's routes (issue 17): their matrix is in test_mail_authz.py."""


def endpoints(
    c: str, client_id: str, group_id: str, record_id: str, note_id: str, counselor_id: str, document_id: str
) -> list:
    """(method, path, body, who may): every route of the API with the ids of one centre."""
    record = {"occurred_on": "2026-02-01", "minutes": 10, "subject": "debt", "channel": "phone"}
    centre = f"/centres/{c}"
    return [
        ("POST", f"{centre}/clients", {"pseudonym": f"Neu {uuid.uuid4().hex[:6]}"}, STAFF),
        ("GET", f"{centre}/clients", None, STAFF),
        ("GET", f"{centre}/clients/{client_id}", None, STAFF),
        ("PUT", f"{centre}/clients/{client_id}/master-data", {"master_data": {"gender": "male"}}, STAFF),
        ("PUT", f"{centre}/clients/{client_id}/primary-counselor", {"counselor_id": None}, STAFF),
        ("PUT", f"{centre}/bookmarks/{client_id}", None, STAFF),
        ("DELETE", f"{centre}/bookmarks/{client_id}", None, STAFF),
        ("GET", f"{centre}/clients/{client_id}/notes", None, STAFF),
        ("POST", f"{centre}/clients/{client_id}/notes", {"text": "Notiz"}, STAFF),
        ("DELETE", f"{centre}/clients/{client_id}/notes/{note_id}", None, STAFF),
        ("POST", f"{centre}/clients/{client_id}/documents", "document", STAFF),
        ("GET", f"{centre}/clients/{client_id}/documents", None, STAFF),
        ("GET", f"{centre}/clients/{client_id}/documents/{document_id}", None, STAFF),
        ("DELETE", f"{centre}/clients/{client_id}/documents/{document_id}", None, STAFF),
        ("GET", f"{centre}/clients/{client_id}/messages", None, ADMIN),
        ("POST", f"{centre}/clients/{client_id}/messages", {"subject": "Hallo", "body": "Text"}, ADMIN),
        ("POST", f"{centre}/clients/{client_id}/records", record, STAFF),
        ("GET", f"{centre}/clients/{client_id}/records", None, STAFF),
        ("GET", f"{centre}/records", None, STAFF),
        ("PUT", f"{centre}/records/{record_id}", record, STAFF),
        ("DELETE", f"{centre}/records/{record_id}", None, STAFF),
        ("GET", f"{centre}/records.csv", None, ADMIN),
        ("GET", f"{centre}/statistics", None, ADMIN),
        ("GET", f"{centre}/groups", None, STAFF),
        ("POST", f"{centre}/groups", {"name": "Gruppe"}, STAFF),
        ("GET", f"{centre}/groups/{group_id}", None, STAFF),
        ("PUT", f"{centre}/groups/{group_id}", {"name": "Neuer Name"}, STAFF),
        ("POST", f"{centre}/groups/{group_id}/members", {"client_id": client_id}, STAFF),
        ("DELETE", f"{centre}/groups/{group_id}/members/{client_id}", None, STAFF),
        ("DELETE", f"{centre}/groups/{group_id}", None, STAFF),
        ("GET", f"{centre}/settings", None, STAFF),
        ("PUT", f"{centre}/settings", {"deletion_days": 10}, ADMIN),
        ("GET", f"{centre}/counselors", None, STAFF),
        ("GET", f"{centre}/counselors/me", None, STAFF),
        ("PUT", f"{centre}/counselors/me", {"display_name": "Beraterin"}, STAFF),
        ("PUT", f"{centre}/counselors/me/photo", "photo", STAFF),
        ("DELETE", f"{centre}/counselors/me/photo", None, STAFF),
        ("GET", f"{centre}/counselors/{counselor_id}/photo", None, STAFF),
        ("GET", "/me", None, CLIENT),
        ("GET", "/me/messages", None, CLIENT),
        ("GET", "/me/counselors", None, CLIENT),
        ("GET", f"/internal/clients/{client_id}", None, INTERNAL),
    ]


async def send(api: httpx.AsyncClient, method: str, path: str, body, headers: dict) -> httpx.Response:
    if body == "photo":
        files = {"file": ("bild.png", sample_image("PNG"), "image/png")}
        return await api.request(method, path, files=files, headers=headers)
    if body == "document":
        files = {"file": ("bescheid.pdf", sample_pdf("Bescheid"), "application/pdf")}
        return await api.request(method, path, files=files, headers=headers)
    return await api.request(method, path, json=body, headers=headers)


@pytest.fixture(scope="module")
async def setup(world, issuer):
    async with (
        httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity,
        httpx.AsyncClient(base_url=f"{world.url}/api/v1/counseling", timeout=30) as api,
    ):
        centre = await new_centre(identity, issuer)
        other = await new_centre(identity, issuer)
        made = await open_client(api, centre)
        tokens = await client_login(identity, centre.id, made["pseudonym"], made["initial_password"])
        client_id = made["client_id"]
        group = await api.post(f"/centres/{centre.id}/groups", json={"name": "G"}, headers=centre.counselor)
        record = await api.post(
            f"/centres/{centre.id}/clients/{client_id}/records",
            json={"occurred_on": "2026-01-05", "minutes": 20, "subject": "debt", "channel": "mail"},
            headers=centre.counselor,
        )
        note = await api.post(
            f"/centres/{centre.id}/clients/{client_id}/notes", json={"text": "n"}, headers=centre.counselor
        )
        await api.put(f"/centres/{centre.id}/counselors/me", json={"display_name": "B"}, headers=centre.counselor)
        document = await send(
            api, "POST", f"/centres/{centre.id}/clients/{client_id}/documents", "document", centre.counselor
        )
        ids = (
            client_id,
            group.json()["group_id"],
            record.json()["record_id"],
            note.json()["note_id"],
            centre.counselor_id,
            document.json()["document_id"],
        )
        return centre, other, client_headers(tokens), ids


async def test_openapi_lists_exactly_the_matrix_besides_mail_counseling(api, setup):
    centre, _, _, ids = setup
    document = (await api.get("/openapi.json")).json()
    published = {
        (method.upper(), path.removeprefix("/api/v1/counseling"))
        for path, ops in document["paths"].items()
        for method in ops
        if path.startswith("/api/v1/counseling") and not path.startswith(MAIL_COUNSELING)
    }
    covered = {(m, p) for m, p, _, _ in endpoints("{centre_id}", *["{id}"] * 6)}
    normalised = {
        (m, "/".join("{id}" if s.startswith("{") and s != "{centre_id}" else s for s in p.split("/")))
        for m, p in published
    }
    assert normalised == {(m, p) for m, p in covered}


async def test_refused_callers_change_nothing(api, world, issuer, setup):
    centre, other, client, ids = setup
    seeker = bearer(issuer, str(uuid.uuid4()), "seeker")
    before = await fingerprint(world.engine), await document_count(world.engine)
    for method, path, body, who in endpoints(centre.id, *ids):
        refusals = {
            "anonymous": ({}, 401),
            "other centre's counselor": (other.counselor, 404),
            "other centre's admin": (other.admin, 404),
            "seeker": (seeker, 403 if who == CLIENT else 404),
        }
        if who in (STAFF, ADMIN):
            refusals["client of the centre"] = (client, 403)
        if who == ADMIN:
            refusals["counselor"] = (centre.counselor, 403)
        if who == CLIENT:
            refusals |= {"counselor": (centre.counselor, 403), "admin": (centre.admin, 403)}
            refusals["other centre's counselor"] = (other.counselor, 403)
            refusals["other centre's admin"] = (other.admin, 403)
        if who == INTERNAL:
            refusals = {
                "anonymous": ({}, 401),
                "counselor": (centre.counselor, 403),
                "client": (client, 403),
                "wrong credential": ({"X-Service-Credential": "falsch"}, 401),
            }
        if path.endswith("/photo") and method == "GET":
            refusals.pop("client of the centre", None)  # clients see their counselors' photos
        for caller, (headers, status) in refusals.items():
            response = await send(api, method, path, body, headers)
            assert response.status_code == status, (caller, method, path, response.text)
    after = await fingerprint(world.engine), await document_count(world.engine)
    assert after == before, "a refused call changed something"


async def document_count(engine) -> int:
    """Documents are plain state (no events): counted on their own."""
    async with engine.connect() as conn:
        return await conn.scalar(select(func.count()).select_from(client_documents)) or 0


async def test_allowed_callers_get_through(api, setup):
    centre, _, client, ids = setup
    client_id = ids[0]
    assert (await api.get(f"/centres/{centre.id}/clients", headers=centre.counselor)).status_code == 200
    assert (await api.get(f"/centres/{centre.id}/statistics", headers=centre.admin)).status_code == 200
    assert (await api.get("/me", headers=client)).status_code == 200
    service = await api.get(f"/internal/clients/{client_id}", headers={"X-Service-Credential": SERVICE_SECRET})
    assert service.status_code == 200 and service.json()["centre_id"] == centre.id
