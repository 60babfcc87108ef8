"""A counselor's profile: internal data for colleagues and admins, external data for the centre's
clients; the photo only as a real PNG or JPEG (the kit's document check), deleted on request."""

from __future__ import annotations

import httpx
import pytest
from counseling_support import client_headers, client_login, new_centre, open_client

from teilhabe_kit.testing import sample_image, sample_pdf


@pytest.fixture(scope="module")
async def centre(world, issuer):
    async with httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity:
        return await new_centre(identity, issuer)


PROFILE = {
    "display_name": "Sonne (Beratung)",
    "description": "Ich berate anonym.",
    "languages": ["de", "tr"],
    "internal": {"salutation": "frau", "first_name": "Anna", "last_name": "Beispiel", "phone": "0551 1234"},
}


async def test_profile_internal_and_external(api, identity, centre):
    base = f"/centres/{centre.id}/counselors"
    assert (await api.get(f"{base}/me", headers=centre.counselor)).status_code == 404
    assert (await api.post(f"{base}/me/photo", headers=centre.counselor)).status_code == 405
    early = await api.put(
        f"{base}/me/photo", files={"file": ("bild.png", sample_image("PNG"), "image/png")}, headers=centre.counselor
    )
    assert early.status_code == 409, "a profile first"
    assert (await api.put(f"{base}/me", json=PROFILE, headers=centre.counselor)).status_code == 204
    mine = (await api.get(f"{base}/me", headers=centre.counselor)).json()
    assert mine["internal"]["last_name"] == "Beispiel" and mine["display_name"] == "Sonne (Beratung)"
    colleagues = (await api.get(base, headers=centre.colleague)).json()
    assert [c["internal"]["first_name"] for c in colleagues] == ["Anna"]
    made = await open_client(api, centre)
    tokens = await client_login(identity, centre.id, made["pseudonym"], made["initial_password"])
    seen_by_client = (await api.get("/me/counselors", headers=client_headers(tokens))).json()
    assert seen_by_client[0]["display_name"] == "Sonne (Beratung)" and "internal" not in seen_by_client[0]


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("bild.png", b"<html><script>alert(1)</script></html>", "image/png"),
        ("bild.png", sample_pdf(), "image/png"),
        ("bild.pdf", sample_pdf(), "application/pdf"),
        ("bild.jpg", sample_image("PNG"), "image/jpeg"),
        ("bild.png", b"", "image/png"),
    ],
)
async def test_disguised_photos_are_refused_naming_the_field(api, centre, name, content, declared):
    await api.put(f"/centres/{centre.id}/counselors/me", json=PROFILE, headers=centre.colleague)
    response = await api.put(
        f"/centres/{centre.id}/counselors/me/photo", files={"file": (name, content, declared)}, headers=centre.colleague
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "file"
    me = (await api.get(f"/centres/{centre.id}/counselors/me", headers=centre.colleague)).json()
    assert me["photo_url"] is None, "nothing stored"


async def test_photo_upload_download_and_delete(api, centre):
    await api.put(f"/centres/{centre.id}/counselors/me", json=PROFILE, headers=centre.admin)
    image = sample_image("JPEG")
    uploaded = await api.put(
        f"/centres/{centre.id}/counselors/me/photo",
        files={"file": ("ich.jpg", image, "image/jpeg")},
        headers=centre.admin,
    )
    assert uploaded.status_code == 200, uploaded.text
    photo = await api.get(f"/centres/{centre.id}/counselors/{centre.admin_id}/photo", headers=centre.counselor)
    assert photo.status_code == 200 and photo.content == image
    assert photo.headers["content-type"] == "image/jpeg" and photo.headers["x-content-type-options"] == "nosniff"
    assert (await api.delete(f"/centres/{centre.id}/counselors/me/photo", headers=centre.admin)).status_code == 204
    gone = await api.get(f"/centres/{centre.id}/counselors/{centre.admin_id}/photo", headers=centre.counselor)
    assert gone.status_code == 404
    assert (await api.delete(f"/centres/{centre.id}/counselors/me/photo", headers=centre.admin)).status_code == 404
