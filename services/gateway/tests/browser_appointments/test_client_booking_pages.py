"""The client's booking flow in Chromium through the real gateway (identity, appointments): from the
public free slots to the centre's sign-in and back; service → counselor → time → held → booked,
by keyboard alone at 360 px; the confirmation with the .ics file; "Meine Termine" with move and
cancel; the notice period refuses a late cancel with a clear German message. axe on every page;
another client sees neither the booked time nor the appointment."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from browser_support import assert_accessible, checked_page, tab_to
from platform_support import admin_token, token_for

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}
PASSWORD = "Ein langer Satz als Passwort 2026"


class Centre:
    def __init__(self, gateway: str) -> None:
        self.gateway = gateway
        self.counselor_id = f"counselor-{uuid.uuid4()}"
        self.centre_id = ""
        self.video_service_id = ""

    def admin(self) -> dict[str, str]:
        token = token_for("admin-" + self.centre_id, "centre_admin", organisation_id=self.centre_id)
        return {"Authorization": f"Bearer {token}"}

    async def notice_hours(self, hours: int) -> None:
        settings = {"horizon_weeks": 2, "lead_minutes": 0, "notice_hours": hours}
        async with httpx.AsyncClient(base_url=self.gateway, timeout=30) as api:
            path = f"/api/v1/appointments/centres/{self.centre_id}/settings"
            assert (await api.put(path, json=settings, headers=self.admin())).status_code == 200

    async def client(self) -> str:
        """A client who registered themselves with a pseudonym (no initial password to change)."""
        pseudonym = f"Sonnenblume {uuid.uuid4().hex[:6]}"
        async with httpx.AsyncClient(base_url=self.gateway, timeout=30) as api:
            registered = await api.post(
                f"/api/v1/identity/centres/{self.centre_id}/client-registrations",
                json={"pseudonym": pseudonym, "password": PASSWORD, "consents": {"privacy": True}},
            )
            assert registered.status_code == 201, registered.text
        return pseudonym


async def _centre(gateway: str) -> Centre:
    """A counseling centre (identity) with a chat service and one counselor, „Frau Berg“, free every
    day 09:00–10:00 (30-minute slots)."""
    centre = Centre(gateway)
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as api:
        created = await api.post(
            "/api/v1/identity/organisations",
            json={"kind": "counseling_centre", "name": "Beratung am Markt", "postcode": "37073"},
            headers={"Authorization": f"Bearer {admin_token()}"},
        )
        assert created.status_code == 201, created.text
        centre.centre_id = created.json()["id"]
        await centre.notice_hours(0)
        api_path = f"/api/v1/appointments/centres/{centre.centre_id}"
        chat = await api.post(
            f"{api_path}/services",
            json={"name": "Chat", "duration_minutes": 30, "channel": "chat", "description": "Beratung im Chat"},
            headers=centre.admin(),
        )
        video = await api.post(
            f"{api_path}/services",
            json={"name": "Video", "duration_minutes": 45, "channel": "video"},
            headers=centre.admin(),
        )
        assert chat.status_code == video.status_code == 201, (chat.text, video.text)
        centre.video_service_id = video.json()["service_id"]
        counselor = {
            "Authorization": f"Bearer {token_for(centre.counselor_id, 'counselor', organisation_id=centre.centre_id)}"
        }
        mine = f"{api_path}/counselors/{centre.counselor_id}"
        profile = await api.put(f"{mine}/profile", json={"display_name": "Frau Berg"}, headers=counselor)
        assert profile.status_code == 200, profile.text
        times = [
            {"weekday": d, "start": "09:00", "end": "10:00", "service_id": chat.json()["service_id"]} for d in range(7)
        ]
        times += [
            {"weekday": d, "start": "14:00", "end": "14:45", "service_id": centre.video_service_id} for d in range(7)
        ]
        assert (await api.put(f"{mine}/booking-times", json={"booking_times": times}, headers=counselor)).is_success
    return centre


async def _fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def _checked(page) -> None:
    await assert_accessible(page)
    await _fits(page)


async def _sign_in(page, pseudonym: str) -> None:
    await tab_to(page, "Pseudonym")
    await page.keyboard.type(pseudonym)
    await tab_to(page, "Passwort")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")


async def test_a_client_books_moves_and_cancels_by_keyboard_at_360_px(appointments_platform, chromium, request):
    centre = await _centre(appointments_platform.gateway)
    pseudonym = await centre.client()
    async with checked_page(chromium, appointments_platform.gateway, request.node.name, viewport=PHONE) as page:
        keyboard = page.keyboard
        await page.goto(f"/beratung/{centre.centre_id}/termine")
        await tab_to(page, "Anmelden und buchen")
        await keyboard.press("Enter")
        await page.wait_for_url(lambda url: "/anmelden?next=" in url)
        await _checked(page)
        await _sign_in(page, pseudonym)
        await page.wait_for_url(lambda url: "/termin-buchen?service=" in url)  # back to the booking, signed in
        await page.get_by_role("heading", name="Termin buchen").wait_for()
        await _checked(page)

        await tab_to(page, "Bei wem?")
        await keyboard.press("ArrowDown")  # from „Egal“ to Frau Berg
        await tab_to(page, "Freie Zeiten zeigen")
        await keyboard.press("Enter")
        await page.wait_for_url("**counselor=counselor-*")
        await tab_to(page, "Diese Zeit reservieren")
        await keyboard.press("Enter")  # no time chosen: refused at the field
        await page.locator("#slot-error").wait_for()
        await _checked(page)
        await tab_to(page, "09:00")
        await keyboard.press("Space")
        await tab_to(page, "Diese Zeit reservieren")
        await keyboard.press("Enter")

        await page.wait_for_url("**/termin-buchen/pruefen")
        main = page.get_by_role("main")
        assert "Frau Berg" in await main.inner_text()
        await page.get_by_text("Wir halten diesen Termin bis").wait_for()
        await _checked(page)
        await tab_to(page, "Termin verbindlich buchen")
        await keyboard.press("Enter")

        await page.wait_for_url("**/mein-beratungskonto/termine/*")
        await page.get_by_role("status").filter(has_text="Ihr Termin ist gebucht.").wait_for()
        booking_url = page.url
        assert "09:00–09:30 Uhr" in await main.inner_text()
        await _checked(page)
        ics = await page.request.get(await page.get_by_role("link", name="Kalender-Datei").get_attribute("href"))
        assert ics.status == 200 and ics.headers["content-type"].startswith("text/calendar")
        assert "BEGIN:VEVENT" in await ics.text()

        await tab_to(page, "Termin verschieben")
        await keyboard.press("Enter")
        await page.wait_for_url("**/verschieben")
        await _checked(page)
        await tab_to(page, "09:30")  # the booked 09:00 is not offered again
        await keyboard.press("Space")
        await tab_to(page, "Auf diese Zeit verschieben")
        await keyboard.press("Enter")
        await page.wait_for_url(booking_url)
        await page.get_by_role("status").filter(has_text="Ihr Termin ist verschoben.").wait_for()
        assert "09:30–10:00 Uhr" in await main.inner_text()

        await centre.notice_hours(24 * 14)  # now every appointment lies within the notice period
        await page.goto(booking_url + "/absagen")
        await _checked(page)
        await tab_to(page, "Ja, Termin absagen")
        await keyboard.press("Enter")
        await page.locator("#cancel-error").wait_for()
        message = await page.locator("#cancel-error").inner_text()
        assert "nur bis 336 Stunden vor dem Termin" in message and "rufen Sie die Beratungsstelle an" in message
        await _checked(page)

        await centre.notice_hours(0)
        await tab_to(page, "Ja, Termin absagen")
        await keyboard.press("Enter")
        await page.wait_for_url("**/mein-beratungskonto/termine")
        await page.get_by_role("status").filter(has_text="Ihr Termin ist abgesagt.").wait_for()
        await page.get_by_text("Sie haben zurzeit keine Termine.").wait_for()
        await _checked(page)


async def test_another_client_books_with_anyone_and_cannot_see_the_first_ones_appointment(
    appointments_platform, chromium, request
):
    centre = await _centre(appointments_platform.gateway)
    first, second = await centre.client(), await centre.client()
    booked: list[str] = []
    for pseudonym in (first, second):
        async with checked_page(chromium, appointments_platform.gateway, request.node.name) as page:
            await page.goto(f"/beratung/{centre.centre_id}/anmelden?next=/beratung/{centre.centre_id}/termin-buchen")
            await page.get_by_label("Pseudonym").fill(pseudonym)
            await page.get_by_label("Passwort").fill(PASSWORD)
            await page.get_by_role("main").get_by_role("button", name="Anmelden").click()
            await page.wait_for_url(lambda url: "/anmelden" not in url and url.endswith("/termin-buchen"))
            await page.get_by_role("button", name="Freie Zeiten zeigen").click()  # „Egal“, the first service
            await page.wait_for_url(lambda url: "counselor=" in url)
            slots = page.get_by_role("radio", name="Uhr")
            await slots.first.wait_for()  # the list of times is there before it is read
            offered = [await s.get_attribute("value") for s in await slots.all()]
            if booked:
                assert booked[0] not in offered  # the first client's time is gone for everybody
            await slots.first.check()
            await page.get_by_role("button", name="Diese Zeit reservieren").click()
            await page.get_by_role("button", name="Termin verbindlich buchen").click()
            await page.wait_for_url("**/mein-beratungskonto/termine/*")
            assert "Frau Berg" in await page.get_by_role("main").inner_text()
            booked.append(str(offered[0]))
            if len(booked) == 1:
                first_booking = page.url
            else:
                response = await page.goto(first_booking)
                assert response.status == 404  # another client's appointment: not found
                await assert_accessible(page)
                for path in ("/absagen", "/verschieben", "/termin.ics"):
                    assert (await page.request.get(first_booking + path)).status == 404, path
    async with httpx.AsyncClient(base_url=appointments_platform.gateway, timeout=30) as anonymous:
        answer = await anonymous.get("/mein-beratungskonto/termine", follow_redirects=False)
        assert answer.status_code == 303 and "/anmelden" in answer.headers["location"]


async def test_a_video_appointment_says_how_to_join_with_the_rooms_link(appointments_platform, chromium, request):
    centre = await _centre(appointments_platform.gateway)
    pseudonym = await centre.client()
    async with httpx.AsyncClient(base_url=appointments_platform.gateway, timeout=30) as api:
        login = await api.post(
            "/api/v1/identity/auth/client-login",
            json={"centre_id": centre.centre_id, "pseudonym": pseudonym, "password": PASSWORD},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        base = f"/api/v1/appointments/centres/{centre.centre_id}"
        [slot] = (
            await api.get(f"{base}/offer/slots", params={"service_id": centre.video_service_id, "limit": 1})
        ).json()
        booked = await api.post(
            f"{base}/bookings",
            json={"service_id": centre.video_service_id, "counselor_id": None, "starts_at": slot["starts_at"]},
            headers=headers,
        )
        assert booked.status_code == 201, booked.text
    booking = f"/mein-beratungskonto/termine/{booked.json()['booking_id']}"
    async with checked_page(chromium, appointments_platform.gateway, request.node.name, viewport=PHONE) as page:
        await page.goto(f"/beratung/{centre.centre_id}/anmelden?next={booking}")
        await _sign_in(page, pseudonym)
        await page.wait_for_url(lambda url: "/anmelden" not in url and url.endswith(booking))
        await tab_to(page, "So kommen Sie in die Video-Beratung")
        await page.keyboard.press("Enter")
        await page.wait_for_url(f"**{booking}/video")
        room = page.get_by_role("link", name="Video-Raum öffnen")
        for _ in range(60):  # messaging learns the appointment from appointments' event (Kafka)
            if await room.count():
                break
            await asyncio.sleep(1)
            await page.reload()
        assert (await room.get_attribute("href")).startswith("https://")
        assert "Kamera und Mikrofon" in await page.get_by_role("main").inner_text()
        await _checked(page)
