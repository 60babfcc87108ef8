"""The counselor's calendar pages in Chromium through the real platform (issue 16): the demo
counselor adds a booking time (a wrong time refused at the field), sees its free times in next
week's view and an appointment in the list view, enters an absence (a wrong day refused) and is
shown the appointment inside it to move, deletes the absence by keyboard. axe on every page,
360 px without sideways scrolling; a seeker is refused."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import datetime, time, timedelta

import httpx
import pytest
from browser_support import assert_accessible, checked_page, sign_in, tab_to
from counseling_web_support import CENTRE_ADMIN, COUNSELOR, DEMO_CENTRE, staff
from platform_support import ROOT

from teilhabe_kit.localtime import BERLIN

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 780}
DEMO_CENTRE_NAME = "Beratungszentrum Göttingen (Demo)"
SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
API = f"/api/v1/appointments/centres/{DEMO_CENTRE}"


def _subject(headers: dict[str, str]) -> str:
    payload = headers["Authorization"].split()[1].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


async def _a_service(api: httpx.AsyncClient) -> str:
    """A chat service of the demo centre (the demo's, or one the admin adds once)."""
    offered = (await api.get(f"{API}/offer/services")).json()
    chats = [s["service_id"] for s in offered if s["channel"] == "chat"]
    if chats:
        return chats[0]
    added = await api.post(
        f"{API}/services",
        json={"name": "Chat 30", "duration_minutes": 30, "channel": "chat"},
        headers=await staff(api, CENTRE_ADMIN),
    )
    assert added.status_code == 201, added.text
    return added.json()["service_id"]


async def _fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def _checked(page) -> None:
    await assert_accessible(page)
    await _fits(page)


@pytest.fixture(scope="module")
def demo(web_platform):
    for loader in ("identity.demo", "centres.demo"):
        subprocess.run([sys.executable, "-m", loader], cwd=ROOT, check=True, capture_output=True, timeout=180)


@pytest.fixture
async def counselor_api(web_platform, demo):
    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=30) as api:
        headers = await staff(api, COUNSELOR)
        service_id = await _a_service(api)
        await _clean_up(api, headers, _subject(headers))
        yield api, headers, service_id


async def test_counselor_sets_booking_times_and_an_absence_and_sees_the_appointments_to_move(
    web_platform, chromium, counselor_api, request
):
    api, headers, service_id = counselor_api
    counselor_id = _subject(headers)
    next_monday = datetime.now(BERLIN).date() + timedelta(days=7 - datetime.now(BERLIN).weekday())
    sunday = next_monday + timedelta(days=6)
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await sign_in(page, *COUNSELOR)
        await page.goto("/beratungsstelle/wechseln")
        await page.get_by_label(DEMO_CENTRE_NAME).check()
        await page.get_by_role("main").get_by_role("button", name="Wechseln").click()
        await page.wait_for_load_state()

        await page.goto("/beratungsstelle/kalender")
        await page.get_by_role("heading", name="Kalender", exact=True).wait_for()
        await _checked(page)
        await page.get_by_role("link", name="Buchungszeiten").click()
        await page.wait_for_url("**/kalender/buchungszeiten")
        await _checked(page)
        row = int(await page.locator("input[name=rows]").input_value()) - 3  # the first empty row
        await page.locator(f"#weekday_{row}").select_option("6")
        await page.locator(f"#service_id_{row}").select_option(service_id)
        await page.locator(f"#start_{row}").fill("25:00")
        await page.locator(f"#end_{row}").fill("08:00")
        await page.get_by_role("button", name="Speichern").click()
        await page.locator(f"#start_{row}[aria-invalid=true]").wait_for()  # refused at the field
        await _checked(page)
        await page.locator(f"#start_{row}").fill("7")
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
        assert await page.locator(f"#start_{row}").input_value() == "07:00"

        starts_at = datetime.combine(sunday, time(7, 0), BERLIN).isoformat()
        booked = await api.post(
            f"{API}/bookings",
            json={"service_id": service_id, "counselor_id": counselor_id, "starts_at": starts_at, "client_id": "c-1"},
            headers=headers,
        )
        assert booked.status_code == 201, booked.text
        try:
            await page.goto(f"/beratungsstelle/kalender?von={next_monday.isoformat()}")
            sunday_section = page.locator(".week-day").nth(6)
            assert "07:00–07:30" in await sunday_section.inner_text()  # the appointment
            assert "07:30" in await sunday_section.locator(".hint").inner_text()  # the free time after it
            await _checked(page)
            await page.get_by_label("Ansicht").select_option("liste")
            await page.get_by_role("button", name="Anzeigen").click()
            await page.get_by_role("table").get_by_text("07:00–07:30").wait_for()
            await _checked(page)

            await page.goto("/beratungsstelle/kalender/abwesenheiten")
            await _checked(page)
            await page.get_by_label("Erster Tag").fill("31.02.2026")
            await page.get_by_label("Letzter Tag").fill(sunday.strftime("%d.%m.%Y"))
            await page.get_by_label("Grund (sehen nur Kolleg:innen)").fill("Fortbildung")
            await page.get_by_role("button", name="Abwesenheit eintragen").click()
            await page.locator("#first_day[aria-invalid=true]").wait_for()
            await _checked(page)
            await page.get_by_label("Erster Tag").fill(sunday.strftime("%d.%m.%Y"))
            await page.get_by_role("button", name="Abwesenheit eintragen").click()
            to_move = page.get_by_role("region", name="Diese Termine liegen in Ihrer Abwesenheit")
            assert "07:00–07:30" in await to_move.inner_text()
            await _checked(page)
            await tab_to(page, f"{sunday.strftime('%d.%m.%Y')} löschen")
            await page.keyboard.press("Enter")  # deleted by keyboard
            await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
            assert "Fortbildung" not in await page.get_by_role("main").inner_text()

            await page.get_by_role("link", name="Kalender-Abo").click()
            await page.wait_for_url("**/kalender/abo")
            await _checked(page)
            await page.get_by_role("button", name="Neue Kalender-Adresse erstellen").click()
            feed_url = await page.get_by_label("Ihre neue Kalender-Adresse", exact=False).input_value()
            await _checked(page)
            feed = await page.request.get(feed_url)  # as a calendar app fetches it: no session needed
            assert feed.status == 200 and "Beratung: Chat" in await feed.text()
            assert "c-1" not in await feed.text()  # no client in it
            await page.get_by_role("button", name="Kalender-Adresse sperren").click()
            await page.get_by_text("Sie haben zurzeit keine Kalender-Adresse.").wait_for()
            assert (await page.request.get(feed_url)).status == 410
        finally:
            await _clean_up(api, headers, counselor_id, booked.json()["booking_id"])


async def _clean_up(
    api: httpx.AsyncClient, headers: dict[str, str], counselor_id: str, booking_id: str | None = None
) -> None:
    """The demo counselor's calendar as before: the appointment cancelled, the test's absences and
    Sunday-morning booking time removed (also before the test, after a run that stopped midway)."""
    if booking_id:
        await api.post(f"/api/v1/appointments/bookings/{booking_id}/cancel", headers=headers)
    mine = f"{API}/counselors/{counselor_id}"
    found = await api.get(mine, headers=headers)
    if found.status_code == 404:
        return  # no calendar yet
    setup = found.json()
    for absence in setup["absences"]:
        if absence["label"] == "Fortbildung":
            assert (await api.delete(f"{mine}/absences/{absence['absence_id']}", headers=headers)).status_code == 204
    kept = [t for t in setup["booking_times"] if not (t["weekday"] == 6 and t["start"].startswith("07:00"))]
    assert (await api.put(f"{mine}/booking-times", json={"booking_times": kept}, headers=headers)).status_code == 200


async def test_a_seeker_is_refused_the_calendar_pages(web_platform, chromium, demo, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *SEEKER)
        for path in (
            "/beratungsstelle/kalender/abo",
            "/beratungsstelle/kalender",
            "/beratungsstelle/kalender/buchungszeiten",
            "/beratungsstelle/kalender/abwesenheiten",
        ):
            response = await page.goto(path)
            assert response.status == 403, path
