"""Who may call mail counseling's endpoints: anonymous → 401; another centre's client or staff,
another client of the centre → 404 (the thread is not revealed); the centre's client on the team's
endpoints → 403; a counselor on the admins' settings → 403. Nothing is changed by a refused call."""

from __future__ import annotations

import httpx
import pytest
from counseling_support import new_centre, staff
from mail_support import mail_settings, new_client, send, with_profiles
from sqlalchemy import text

from teilhabe_kit.testing import sample_image, sample_pdf


@pytest.fixture(scope="module")
async def setting(world, issuer):
    async with (
        httpx.AsyncClient(base_url=f"{world.identity_url}/api/v1/identity", timeout=30) as identity,
        httpx.AsyncClient(base_url=f"{world.url}/api/v1/counseling", timeout=30) as api,
    ):
        centre = await new_centre(identity, issuer)
        other = await new_centre(identity, issuer)
        await with_profiles(api, centre)
        await mail_settings(api, centre, availability={centre.counselor_id: {"mode": "unlimited"}})
        _, owner = await new_client(api, centre, issuer)
        _, neighbour = await new_client(api, centre, issuer)
        _, foreign_client = await new_client(api, other, issuer)
        thread = await send(api, centre, owner, "Frage", "Hallo")
        attached = await api.post(
            f"/centres/{centre.id}/mail-threads/{thread}/attachments",
            files={"file": ("brief.pdf", sample_pdf("Brief"), "application/pdf")},
            headers=owner,
        )
        assert attached.status_code == 201, attached.text
    return {
        "attachment": attached.json()["attachment_id"],
        "centre": centre,
        "thread": thread,
        "owner": owner,
        "callers": {
            "anonymous": {},
            "other_client": neighbour,
            "client_of_other_centre": foreign_client,
            "counselor_of_other_centre": other.counselor,
            "admin_of_other_centre": other.admin,
            "platform_admin": staff(issuer, centre.id, "admin")[1],
        },
    }


def calls(centre_id: str, thread: str, attachment: str) -> list[tuple[str, str, dict]]:
    """(method, path, the request's body as httpx arguments) of every route on one thread."""
    base = f"/centres/{centre_id}/mail-threads/{thread}"
    return [
        ("GET", base, {}),
        ("PATCH", base, {"json": {"subject": "Anders"}}),
        ("POST", f"{base}/messages", {"json": {"text": "Hallo"}}),
        ("PUT", f"{base}/draft", {"json": {"text": "Entwurf", "release": True}}),
        ("POST", f"{base}/takeover", {}),
        ("GET", f"{base}/previous", {}),
        ("POST", f"{base}/records", {"json": {"occurred_on": "2026-12-01", "minutes": 10, "subject": "debt"}}),
        ("POST", f"{base}/personal-data/profile", {}),
        (
            "POST",
            f"{base}/personal-data/record",
            {"json": {"occurred_on": "2026-12-01", "minutes": 10, "subject": "debt"}},
        ),
        ("POST", f"{base}/attachments", {"files": {"file": ("foto.png", sample_image("PNG", seed=7), "image/png")}}),
        ("GET", f"{base}/attachments/{attachment}", {}),
    ]


STAFF_ONLY = {"/draft", "/takeover", "/previous", "/records", "/profile", "/record"}


async def _events(world, thread: str) -> int:
    """Events and attachments of the thread: a refused call adds neither."""
    async with world.engine.connect() as conn:
        events = await conn.scalar(text("SELECT count(*) FROM event_store WHERE stream_id = :t"), {"t": thread})
        files = await conn.scalar(text("SELECT count(*) FROM mail_attachments WHERE thread_id = :t"), {"t": thread})
    return events + files


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "other_client",
        "client_of_other_centre",
        "counselor_of_other_centre",
        "admin_of_other_centre",
        "platform_admin",
    ],
)
async def test_strangers_cannot_touch_a_thread(api, world, setting, who):
    centre, thread = setting["centre"], setting["thread"]
    headers = setting["callers"][who]
    before = await _events(world, thread)
    for method, path, body in calls(centre.id, thread, setting["attachment"]):
        response = await api.request(method, path, **body, headers=headers)
        expected = {401} if who == "anonymous" else {404}
        if who == "other_client" and any(path.endswith(s) for s in STAFF_ONLY):
            expected = {403}  # a client of the centre meets the team's pages
        assert response.status_code in expected, (who, method, path, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert await _events(world, thread) == before


async def test_the_client_cannot_use_the_teams_endpoints(api, world, setting):
    centre, thread = setting["centre"], setting["thread"]
    before = await _events(world, thread)
    for method, path, body in calls(centre.id, thread, setting["attachment"]):
        if any(path.endswith(s) for s in STAFF_ONLY):
            response = await api.request(method, path, **body, headers=setting["owner"])
            assert response.status_code == 403, (method, path, response.text)
    assert await _events(world, thread) == before


@pytest.mark.parametrize("who", ["anonymous", "owner", "counselor", "counselor_of_other_centre"])
async def test_only_admins_change_mail_settings(api, setting, who):
    centre = setting["centre"]
    headers = {"owner": setting["owner"], "counselor": centre.counselor}.get(who) or setting["callers"].get(who, {})
    if who == "counselor_of_other_centre":
        headers = setting["callers"][who]
    response = await api.put(
        f"/centres/{centre.id}/mail-settings", json={"fallback_counselor_id": centre.counselor_id}, headers=headers
    )
    assert response.status_code == {"anonymous": 401, "owner": 403, "counselor": 403}.get(who, 404)
    shown = await api.get(f"/centres/{centre.id}/mail-settings", headers=centre.admin)
    assert shown.json()["fallback_counselor_id"] is None


@pytest.mark.parametrize("who", ["client_of_other_centre", "counselor_of_other_centre", "anonymous"])
async def test_strangers_cannot_send_or_list(api, world, setting, who):
    centre = setting["centre"]
    headers = setting["callers"][who]
    sent = await api.post(f"/centres/{centre.id}/mail-threads", json={"subject": "x", "text": "y"}, headers=headers)
    listed = await api.get(f"/centres/{centre.id}/mail-threads", params={"box": "new"}, headers=headers)
    expected = 401 if who == "anonymous" else 404
    assert (sent.status_code, listed.status_code) == (expected, expected)
    async with world.engine.connect() as conn:
        count = await conn.scalar(text("SELECT count(*) FROM mail_threads WHERE centre_id = :c"), {"c": centre.id})
    assert count == 1


async def test_staff_cannot_send_requests_as_clients(api, setting):
    centre = setting["centre"]
    response = await api.post(
        f"/centres/{centre.id}/mail-threads", json={"subject": "x", "text": "y"}, headers=centre.counselor
    )
    assert response.status_code == 403


async def test_the_matrix_covers_every_mail_route(api, setting):
    document = (await api.get("/openapi.json")).json()
    published = {
        (method.upper(), path.removeprefix("/api/v1/counseling"))
        for path, operations in document["paths"].items()
        for method in operations
        if "/mail-" in path
    }
    centre = "/centres/{centre_id}"
    covered = {(m, p) for m, p, _ in calls("{centre_id}", "{thread_id}", "{attachment_id}")} | {
        ("GET", f"{centre}/mail-threads"),  # test_strangers_cannot_send_or_list
        ("POST", f"{centre}/mail-threads"),
        ("GET", f"{centre}/mail-settings"),  # test_only_admins_change_mail_settings
        ("PUT", f"{centre}/mail-settings"),
        ("GET", f"{centre}/mail-statistics"),  # test_only_the_centres_admins_see_response_times
    }
    assert published == covered


@pytest.mark.parametrize(
    "who", ["anonymous", "owner", "counselor", "counselor_of_other_centre", "admin_of_other_centre"]
)
async def test_only_the_centres_admins_see_response_times(api, setting, who):
    centre = setting["centre"]
    headers = {"owner": setting["owner"], "counselor": centre.counselor}.get(who) or setting["callers"].get(who, {})
    response = await api.get(f"/centres/{centre.id}/mail-statistics", headers=headers)
    assert response.status_code == {"anonymous": 401, "owner": 403, "counselor": 403}.get(who, 404), response.text
    assert (await api.get(f"/centres/{centre.id}/mail-statistics", headers=centre.admin)).status_code == 200
