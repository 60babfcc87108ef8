"""Bad input anywhere in the workspace: 422 problem+json naming the field, German by default (English
on request), nothing stored (event store and outbox unchanged)."""

from __future__ import annotations

import httpx
import pytest
from counseling_support import fingerprint, new_centre, open_client


@pytest.fixture(scope="module")
async def setup(world, issuer):
    async with (
        httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity,
        httpx.AsyncClient(base_url=f"{world.url}/api/v1/counseling", timeout=30) as api,
    ):
        centre = await new_centre(identity, issuer)
        made = await open_client(api, centre)
        group = await api.post(f"/centres/{centre.id}/groups", json={"name": "G"}, headers=centre.counselor)
        return centre, made["client_id"], group.json()["group_id"]


CASES = [
    ("POST", "clients", {"pseudonym": "a@b.de"}, "counselor", "pseudonym"),
    ("POST", "clients", {"pseudonym": "Gut Name", "filters": ["gibtsnicht"]}, "counselor", "filters"),
    (
        "POST",
        "clients",
        {"pseudonym": "Gut Name", "master_data": {"postcode": "12"}},
        "counselor",
        "master_data.postcode",
    ),
    ("PUT", "clients/{client}/master-data", {"master_data": {"gender": "x"}}, "counselor", "master_data.gender"),
    ("PUT", "clients/{client}/master-data", {"master_data": {}, "filters": ["nope"]}, "counselor", "filters"),
    ("PUT", "clients/{client}/primary-counselor", {"counselor_id": "niemand"}, "counselor", "counselor_id"),
    ("POST", "clients/{client}/notes", {"text": "   "}, "counselor", "text"),
    ("POST", "clients/{client}/messages", {"subject": "", "body": "x"}, "admin", "subject"),
    ("POST", "groups", {"name": ""}, "counselor", "name"),
    ("POST", "groups/{group}/members", {"client_id": "gibtsnicht"}, "counselor", None),
    ("PUT", "settings", {"deletion_days": -1}, "admin", "deletion_days"),
    ("PUT", "settings", {"mail_overdue_days": 0}, "admin", "mail_overdue_days"),
    (
        "PUT",
        "settings",
        {"record_fields": [{"key": "a", "label": "A", "type": "choice"}]},
        "admin",
        "record_fields",
    ),
    (
        "PUT",
        "settings",
        {"record_fields": [{"key": "A B", "label": "A", "type": "text"}]},
        "admin",
        "record_fields.0.key",
    ),
    (
        "PUT",
        "settings",
        {"contact_address": {"name": "X", "street": "Y", "postcode": "1", "city": "Z"}},
        "admin",
        "contact_address.postcode",
    ),
    ("PUT", "counselors/me", {"display_name": ""}, "counselor", "display_name"),
    ("PUT", "counselors/me", {"display_name": "B", "languages": ["xx"]}, "counselor", "languages.0"),
    ("GET", "clients?page=0", None, "counselor", "page"),
    ("GET", "statistics?from=2026-13-01", None, "admin", "from"),
]


@pytest.mark.parametrize(("method", "path", "body", "who", "field"), CASES)
async def test_bad_input_names_the_field_and_stores_nothing(api, world, setup, method, path, body, who, field):
    centre, client_id, group_id = setup
    headers = centre.admin if who == "admin" else centre.counselor
    url = f"/centres/{centre.id}/" + path.format(client=client_id, group=group_id)
    before = await fingerprint(world.engine)
    response = await api.request(method, url, json=body, headers=headers)
    if field is None:  # an unknown client in a group: not found, nothing stored
        assert response.status_code == 404, response.text
    else:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert await fingerprint(world.engine) == before


async def test_problems_are_german_and_english_on_request(api, setup):
    centre, client_id, _ = setup
    url = f"/centres/{centre.id}/clients/{client_id}/records"
    body = {"occurred_on": "2026-01-01", "minutes": 0, "subject": "debt", "channel": "mail"}
    german = await api.post(url, json=body, headers=centre.counselor)
    english = await api.post(url, json=body, headers=centre.counselor | {"Accept-Language": "en"})
    assert german.status_code == english.status_code == 422
    assert german.json()["title"] != english.json()["title"]
    assert german.json()["errors"][0]["field"] == english.json()["errors"][0]["field"] == "minutes"
