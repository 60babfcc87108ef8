"""The demo centre's counseling workspace set up through the gateway's API, as its team would work
(for the browser tests): the centre's settings, a client opened by a counselor (counseling asks
identity at once, no waiting for Kafka), a note, a case record, a group with the client, a bookmark."""

from __future__ import annotations

import uuid
from datetime import date

import httpx

DEMO_CENTRE = "5e1c0000-de00-4000-8000-000000000001"
CENTRE_ADMIN = ("carla@demo.teilhabe.de", "Demo-Beratungsstelle-2026!")
COUNSELOR = ("bela@demo.teilhabe.de", "Demo-Beratung-2026!")
API = f"/api/v1/counseling/centres/{DEMO_CENTRE}"
SETTINGS = {
    "automatic_primary_counselor": True,
    "mail_overdue_days": 3,
    "deletion_days": 30,
    "filter_criteria": [{"key": "u25", "label": "unter 25"}, {"key": "schulden", "label": "Schulden"}],
    "record_fields": [
        {"key": "zugang", "label": "Zugang", "type": "choice", "choices": ["selbst", "Jobcenter", "Schule"]},
        {"key": "erstkontakt", "label": "Erstkontakt", "type": "yes_no"},
    ],
}


async def staff(api: httpx.AsyncClient, login: tuple[str, str]) -> dict[str, str]:
    """The bearer header of a team member acting for the demo centre."""
    response = await api.post(
        "/api/v1/identity/auth/login", json={"login": login[0], "password": login[1], "centre_id": DEMO_CENTRE}
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def demo_workspace(gateway: str) -> dict[str, str]:
    """Settings, one new client with a note, a record, a group and the counselor's bookmark."""
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=gateway, timeout=20) as api:
        admin, counselor = await staff(api, CENTRE_ADMIN), await staff(api, COUNSELOR)
        current = await api.get(f"{API}/settings", headers=admin)
        current.raise_for_status()
        changed = await api.put(
            f"{API}/settings", headers=admin | {"If-Match": str(current.json()["version"])}, json=SETTINGS
        )
        assert changed.status_code in (200, 204), changed.text
        opened = await api.post(
            f"{API}/clients",
            headers=counselor,
            json={"pseudonym": f"Leuchtturm {tag}", "filters": ["u25"], "master_data": {"age_group": "18_26"}},
        )
        assert opened.status_code == 201, opened.text
        client_id = opened.json()["client_id"]
        group = await api.post(
            f"{API}/groups",
            headers=counselor,
            json={"name": f"Frühstücks-Runde {tag}", "description": "Mittwochs 9 Uhr"},
        )
        assert group.status_code == 201, group.text
        group_id = group.json()["group_id"]
        record = {"occurred_on": date.today().isoformat(), "minutes": 45, "subject": "debt", "channel": "on_site"}
        for method, path, body in (
            ("POST", f"{API}/clients/{client_id}/notes", {"text": "Erstgespräch: Unterlagen mitbringen."}),
            ("POST", f"{API}/clients/{client_id}/records", record | {"fields": {"zugang": "Schule"}}),
            ("POST", f"{API}/groups/{group_id}/members", {"client_id": client_id}),
            ("PUT", f"{API}/bookmarks/{client_id}", None),
        ):
            response = await api.request(method, path, headers=counselor, json=body)
            assert response.status_code < 300, (path, response.text)
    return {"client_id": client_id, "pseudonym": f"Leuchtturm {tag}", "group_id": group_id, "tag": tag}
