"""The public page of a centre's free appointments in Chromium through the real gateway: by keyboard
alone at 360 px, axe (WCAG 2.1 AA) without violations."""

from __future__ import annotations

import uuid

import httpx
import pytest
from browser_support import assert_accessible, checked_page, tab_to
from platform_support import token_for

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 780}}


async def _centre(gateway: str) -> str:
    """A centre with a chat and a video service and a counselor with booking times on every weekday."""
    centre_id = str(uuid.uuid4())
    counselor_id = f"counselor-{uuid.uuid4()}"
    admin = {"Authorization": f"Bearer {token_for('admin-' + centre_id, 'centre_admin', organisation_id=centre_id)}"}
    counselor = {"Authorization": f"Bearer {token_for(counselor_id, 'counselor', organisation_id=centre_id)}"}
    api = f"/api/v1/appointments/centres/{centre_id}"
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        settings = {"horizon_weeks": 2, "lead_minutes": 0}
        assert (await client.put(f"{api}/settings", json=settings, headers=admin)).status_code == 200
        chat = await client.post(
            f"{api}/services",
            json={"name": "Chat", "duration_minutes": 30, "channel": "chat", "description": "Beratung im Chat"},
            headers=admin,
        )
        video = await client.post(
            f"{api}/services", json={"name": "Video", "duration_minutes": 45, "channel": "video"}, headers=admin
        )
        assert chat.status_code == video.status_code == 201
        times = [
            {"weekday": d, "start": "09:00", "end": "10:00", "service_id": chat.json()["service_id"]} for d in range(7)
        ]
        times += [
            {"weekday": d, "start": "14:00", "end": "15:30", "service_id": video.json()["service_id"]} for d in range(7)
        ]
        path = f"{api}/counselors/{counselor_id}/booking-times"
        assert (await client.put(path, json={"booking_times": times}, headers=counselor)).status_code == 200
    return centre_id


async def test_free_appointments_by_keyboard_at_360_px(appointments_platform, chromium, request):
    centre_id = await _centre(appointments_platform.gateway)
    async with checked_page(chromium, appointments_platform.gateway, request.node.name, **PHONE) as page:
        await page.goto(f"/beratung/{centre_id}/termine")
        await assert_accessible(page)
        assert await page.locator("h1").inner_text() == "Freie Termine"
        assert "09:00" in await page.locator("ul.slots").first.inner_text()
        await tab_to(page, "45 Minuten")  # the select (its options name the lengths)
        await page.keyboard.press("ArrowDown")  # the video service
        await tab_to(page, "Termine zeigen")
        await page.keyboard.press("Enter")
        await page.wait_for_url("**service=*")
        times = await page.locator("ul.slots").first.inner_text()
        assert "14:00" in times and "14:45" in times and "09:00" not in times
        await assert_accessible(page)
