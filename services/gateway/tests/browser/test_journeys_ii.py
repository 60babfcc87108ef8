"""Web journeys II (issue 18) in Chromium on the real platform with the demo people: the seeker
sees who responded (first name, initials, provider or self-employed, distance, which wishes are
met); the chat names the other person and the order and starts a video call. Desktop and 360 px,
axe on every page; screenshots of the changed pages go to .local/screenshots/."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import uuid
from datetime import date, timedelta

import httpx
import pytest
from browser_support import PHONE, api_token, assert_accessible, assert_fits, checked_page, sign_in, snapshot
from platform_support import ROOT, verify_and_activate

SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
ASSISTANT = ("max@demo.teilhabe.de", "Demo-Assistenz-2026!")
ORDERS = "/api/v1/orders/orders"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=(7 - today.weekday()) or 7)


@pytest.fixture(scope="module")
def demo_people(web_platform) -> None:
    subprocess.run([sys.executable, "-m", "identity.demo"], cwd=ROOT, check=True, capture_output=True, timeout=180)


@pytest.fixture
async def demo(web_platform, demo_people) -> dict[str, dict]:
    """Bearer headers of the demo seeker and assistant, minted per test (tokens expire after 900 s)."""
    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=20) as api:
        return {"seeker": await api_token(api, *SEEKER), "assistant": await api_token(api, *ASSISTANT)}


async def _answered_order(gateway: str, people: dict[str, dict], chat: bool = True) -> dict[str, str]:
    """A published order (shopping, non-smoker, transport) the demo assistant offered to, and its chat."""
    seeker, assistant = people["seeker"], people["assistant"]
    async with httpx.AsyncClient(base_url=gateway, timeout=20) as api:
        created = await api.post(
            ORDERS,
            headers=seeker,
            json={
                "schedule": {"kind": "one_time", "date": _next_monday().isoformat(), "start": "09:00", "end": "11:00"},
                "activities": ["shopping"],
                "traits": ["non_smoker"],
                "transport_needed": True,
                "postcode": "37154",
                "max_distance_km": 60,
            },
        )
        created.raise_for_status()
        order_id = created.json()["order_id"]
        (await api.post(f"{ORDERS}/{order_id}/publish", headers=seeker)).raise_for_status()
        offer = await api.post(f"{ORDERS}/{order_id}/offers", headers=assistant, json={})
        offer.raise_for_status()
        offer_id = offer.json()["offer_id"]
        if not chat:
            return {"order": order_id, "offer": offer_id}
        for _ in range(60):  # messaging learns of the offer from Kafka
            chat = await api.post(
                "/api/v1/messaging/conversations", headers=seeker, json={"order_id": order_id, "offer_id": offer_id}
            )
            if chat.status_code != 404:
                break
            await asyncio.sleep(0.5)
        chat.raise_for_status()
    return {"order": order_id, "offer": offer_id, "chat": chat.json()["id"]}


@pytest.mark.parametrize("size", list(SIZES))
async def test_the_seeker_sees_who_responded_and_chats_with_a_video_call(web_platform, chromium, demo, size, request):
    story = await _answered_order(web_platform.gateway, demo)
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=SIZES[size]) as page:
        await sign_in(page, *SEEKER)
        await page.goto(f"/auftraege/{story['order']}")
        card = page.locator(f"#offer-{story['offer']}")
        await card.get_by_role("heading", name="Max", exact=True).wait_for()
        text = await card.inner_text()
        assert await card.locator(".avatar").inner_text() == "M"  # no photo is kept: the initial
        assert re.search(r"\d+,\d km entfernt", text), text  # Göttingen to Northeim
        assert re.search(r"Erfüllt Ihre Wünsche\s+Einkaufen", text), text
        assert "Assistenz-Kraft von" in text  # the demo assistant works for the demo provider
        await card.get_by_role("button", name=re.compile(r"^Chat öffnen.*Max")).wait_for()
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-2-responders-{size}")

        await card.get_by_role("button", name=re.compile(r"^Chat öffnen.*Max")).click()
        await page.wait_for_url(f"**/nachrichten/{story['chat']}")
        await page.get_by_role("heading", level=1, name="Chat mit Max").wait_for()
        await page.get_by_role("link", name=re.compile(r"^Zum Auftrag: Einmalig")).wait_for()
        await page.get_by_role("button", name="Video-Anruf starten").click()
        await page.get_by_role("status").filter(has_text="Der Video-Raum ist bereit.").wait_for()
        room = page.get_by_role("link", name=re.compile("^Video-Raum öffnen"))
        assert (await room.get_attribute("href")).startswith("https://")
        await page.get_by_text("Ich habe einen Video-Raum geöffnet.").wait_for()
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-2-chat-{size}")

        await page.goto("/nachrichten")
        await page.get_by_role("link", name="Chat mit Max").first.wait_for()

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_assistant") as page:
        await sign_in(page, *ASSISTANT)
        await page.goto(f"/nachrichten/{story['chat']}")
        await page.get_by_role("heading", level=1, name="Chat mit der suchenden Person").wait_for()
        assert "Zum Auftrag: Einmalig" in await page.locator("main").inner_text()
        await page.get_by_role("link", name=re.compile("^Video-Raum öffnen")).wait_for()  # the seeker's room
        await assert_accessible(page)


@pytest.mark.parametrize("size", list(SIZES))
async def test_the_wizard_without_a_match_suggests_what_to_widen_and_says_what_happens(
    web_platform, chromium, demo, size, request
):
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=SIZES[size]) as page:
        await sign_in(page, *SEEKER)
        await page.goto("/auftraege/neu")
        await page.wait_for_url("**/auftraege/neu/art")
        assert "Demo-Konto" not in await page.get_by_label("Beschreibung").input_value()
        assert await page.locator("ol.progress a").count() == 0  # later steps are text, not buttons
        await page.get_by_label("Einmalig").check()
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_label("Datum").fill(_next_monday().isoformat())
        await page.get_by_label("Beginn").fill("10:00")
        await page.get_by_label("Ende").fill("12:00")
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/taetigkeiten")
        await page.get_by_role("link", name="Termine").wait_for()  # a done step leads back to it
        await page.get_by_label("Einkaufen").check()
        await page.get_by_label("Vorlesen").check()  # nobody nearby reads aloud
        count = page.locator("#count")
        await count.filter(has_text="0 verfügbare Assistenz-Kräfte gefunden").wait_for()
        await count.get_by_text("Er bleibt offen").wait_for()
        await count.get_by_role("link", name="Ohne „Vorlesen“").wait_for()
        assert re.search(r"Ohne „Vorlesen“: [1-9]\d* verfügbare", await count.inner_text())
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-3-wizard-no-match-{size}")
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/eigenschaften")
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/freigeben")
        await page.get_by_text("Er bleibt offen").wait_for()
        await page.get_by_role("button", name="Auftrag freigeben").click()
        await page.wait_for_url(re.compile(r"/auftraege/[^/]+$"))
        status = await page.locator("#status").inner_text()
        assert "Im Moment passt noch niemand. Der Auftrag bleibt offen" in status, status
        assert "werden jetzt informiert" not in status
        await assert_accessible(page)
        await snapshot(page, f"issue18-3-published-nobody-yet-{size}")
        await page.get_by_role("link", name="Auftrag löschen").click()  # leave the demo clean
        await page.get_by_role("button", name="Ja, Auftrag löschen").click()
        await page.wait_for_url("**/suchende")


async def _fresh_seeker(gateway: str) -> tuple[str, str]:
    """A seeker of their own (the account is deleted at the end of the journey)."""
    login, password = f"konto-{uuid.uuid4().hex[:10]}@example.org", "Blauer-Himmel-über-Northeim-7"
    consents = {"privacy": True, "withdrawal": True, "terms": True, "data_processing": True}
    body = {
        "name": "Karl Konto",
        "email": login,
        "postcode": "37154",
        "consents": consents,
        "password": password,
        "needs": ["shopping"],
        "time_windows": [{"weekday": 0, "start": "09:00", "end": "12:00"}],
    }
    async with httpx.AsyncClient(base_url=gateway, timeout=20) as api:
        (await api.post("/api/v1/identity/registrations/seekers", json=body)).raise_for_status()
    await verify_and_activate(gateway, login)
    return login, password


@pytest.mark.parametrize("size", list(SIZES))
async def test_mein_konto_changes_data_and_password_and_deletes_the_account(web_platform, chromium, size, request):
    login, password = await _fresh_seeker(web_platform.gateway)
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=SIZES[size]) as page:
        await sign_in(page, login, password)
        navigation = page.get_by_role("navigation", name="Hauptnavigation")
        await navigation.get_by_role("link", name="Verträge").click()
        await page.wait_for_url("**/vertraege")
        await assert_accessible(page)
        await navigation.get_by_role("link", name="Mein Konto").click()
        await page.get_by_role("heading", name="Persönliche Daten").wait_for()
        assert "Karl Konto" in await page.locator("main").inner_text()
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-7-mein-konto-{size}")

        await page.get_by_role("link", name="Persönliche Daten ändern").click()
        await page.get_by_label("Vor- und Nachname").fill("")
        await page.get_by_role("button", name="Speichern").click()  # refused at the field, saying what to enter
        await page.locator("#name-error").filter(has_text="Geben Sie Ihren Vor- und Nachnamen ein.").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Vor- und Nachname").fill("Karla Konto")
        await page.get_by_label("Kurzvorstellung").fill("Ich gehe gern spazieren.")
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_role("status").filter(has_text="Ihre Daten sind gespeichert.").wait_for()
        assert "Karla Konto" in await page.locator("main").inner_text()

        await page.get_by_role("link", name="Passwort ändern").click()
        await page.get_by_label("Ihr jetziges Passwort").fill(password)
        await page.locator("#new_password").fill("Gruener-Wald-bei-Einbeck-42")
        await page.locator("#new_password_again").fill("Gruener-Wald-bei-Einbeck-41")
        await page.get_by_role("button", name="Passwort ändern").click()
        await page.locator("#new_password_again-error").filter(has_text="noch einmal genau gleich").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Ihr jetziges Passwort").fill(password)
        await page.locator("#new_password").fill("Gruener-Wald-bei-Einbeck-42")
        await page.locator("#new_password_again").fill("Gruener-Wald-bei-Einbeck-42")
        await page.get_by_role("button", name="Passwort ändern").click()
        await page.get_by_role("status").filter(has_text="Ihr Passwort ist geändert.").wait_for()

        await page.get_by_role("link", name="Konto löschen").click()
        await page.get_by_role("heading", level=1, name="Konto löschen").wait_for()
        await page.get_by_role("button", name="Konto endgültig löschen").click()  # not ticked: asked again
        await page.locator("#confirm-error").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Ja, ich möchte mein Konto löschen.").check()
        await page.get_by_role("button", name="Konto endgültig löschen").click()
        await page.get_by_role("heading", level=1, name="Ihr Konto ist gelöscht").wait_for()
        await assert_accessible(page)
        await sign_in(page, login, "Gruener-Wald-bei-Einbeck-42")  # refused now
        assert "/anmelden" in page.url


async def test_the_demo_guardian_reaches_the_care_page_of_the_enrolled_child(web_platform, chromium, demo, request):
    """Issue 18 (9): contracts' demo loader enrolls the guardian's child (idempotent: a second load
    adds nothing), so the care page is reachable from the demo."""
    from contracts.demo import load

    await load(web_platform.gateway)
    again = await load(web_platform.gateway)
    assert "enrolled already" in again
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await sign_in(page, "gerda@demo.teilhabe.de", "Demo-Sorge-2026!")
        await page.goto("/mein-konto")
        care = page.get_by_role("link", name=re.compile("^Notfallkontakte und Abholberechtigte")).first
        await care.click()
        await page.wait_for_url(re.compile(r"/anmeldungen/[^/]+/betreuung$"))
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, "issue18-9-demo-care-page-phone")


async def _fresh_assistant(gateway: str) -> tuple[str, str]:
    """A self-employed assistant who has not said when they are available."""
    login, password = f"kalender-{uuid.uuid4().hex[:10]}@example.org", "Blauer-Himmel-über-Northeim-7"
    consents = {"privacy": True, "withdrawal": True, "terms": True, "data_processing": True}
    body = {
        "name": "Klara Kalender",
        "email": login,
        "postcode": "37154",
        "consents": consents,
        "password": password,
        "activities": ["shopping"],
        "radius_km": 20,
        "self_employed": True,
    }
    async with httpx.AsyncClient(base_url=gateway, timeout=20) as api:
        (await api.post("/api/v1/identity/registrations/assistants", json=body)).raise_for_status()
    await verify_and_activate(gateway, login)
    return login, password


@pytest.mark.parametrize("size", list(SIZES))
async def test_the_assistant_sees_einsaetze_in_a_calendar_and_subscribes_with_a_revocable_feed(
    web_platform, chromium, demo, size, request
):
    story = await _answered_order(web_platform.gateway, demo, chat=False)  # Max offered: next Monday 9–11
    monday = _next_monday()
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=SIZES[size]) as page:
        await sign_in(page, *ASSISTANT)
        await page.goto(f"/assistenz/kalender?view=week&day={monday.isoformat()}")
        await page.get_by_role("heading", level=1, name="Kalender").wait_for()
        grid = page.get_by_role("table")
        await grid.get_by_role("link", name=re.compile(r"^09:00 Einkaufen")).first.wait_for()
        listed = page.locator("ol.entries")  # the same appointments as a list (screen readers)
        assert re.search(rf"{monday.strftime('%d.%m.%Y')}, 09:00 Uhr–11:00: Einkaufen", await listed.inner_text())
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-4-calendar-week-{size}")
        await page.get_by_role("link", name="Monat", exact=True).click()
        await page.wait_for_url(re.compile(r"view=month"))
        await grid.get_by_role("link", name=re.compile(r"^09:00 Einkaufen")).first.wait_for()
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-4-calendar-month-{size}")

        await page.get_by_role("button", name="Kalender-Adresse erstellen").click()
        first_url = await page.get_by_label("Adresse für Ihren Kalender (kopieren)").input_value()
        await assert_accessible(page)
        feed = await page.request.get(first_url)
        assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
        text = await feed.text()
        assert "BEGIN:VCALENDAR" in text and f"{story['offer']}-{monday:%Y%m%d}0900" in text, text[:500]
        await page.get_by_role("button", name=re.compile("^Neue Adresse erstellen")).click()
        second_url = await page.get_by_label("Adresse für Ihren Kalender (kopieren)").input_value()
        assert second_url != first_url and (await page.request.get(first_url)).status == 404  # renewed: old one stops
        await page.get_by_role("button", name="Kalender-Abo beenden").click()
        await page.get_by_role("status").filter(has_text="Das Kalender-Abo ist beendet.").wait_for()
        assert (await page.request.get(second_url)).status == 404


async def test_the_dashboard_explains_why_nothing_fits_without_availability(web_platform, chromium, request):
    login, password = await _fresh_assistant(web_platform.gateway)
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await sign_in(page, login, password)
        await page.goto("/assistenz")
        notice = page.locator(".availability-missing")
        await notice.filter(has_text="Darum passen Aufträge nicht zu Ihnen").wait_for()
        await assert_accessible(page)
        await snapshot(page, "issue18-4-dashboard-no-availability-phone")
        await notice.get_by_role("link", name="Verfügbarkeit eintragen").click()
        await page.wait_for_url("**/assistenz/profil")


async def test_on_phones_the_map_page_keeps_the_filters_readable_and_the_tab_bar_in_one_row(
    web_platform, chromium, demo, request
):
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await sign_in(page, *ASSISTANT)
        await page.goto("/assistenz")
        tabs = page.get_by_role("navigation", name="App-Navigation").get_by_role("listitem")
        tops = {round((await tabs.nth(i).bounding_box())["y"]) for i in range(await tabs.count())}
        assert len(tops) == 1, f"the tab bar wraps into {len(tops)} rows"
        distance = page.get_by_label("Entfernung")
        assert (await distance.bounding_box())["width"] >= 80  # the filter stays readable (its longest option shows)
        await assert_fits(page)
        await assert_accessible(page)
        await snapshot(page, "issue18-5-map-phone")


@pytest.mark.parametrize("size", list(SIZES))
async def test_a_coordinator_creates_an_order_for_a_seeker_through_the_wizard(
    web_platform, chromium, demo, size, request
):
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=SIZES[size]) as page:
        await sign_in(page, "kora@demo.teilhabe.de", "Demo-Koordination-2026!")
        await page.goto("/koordination")
        await page.get_by_role("link", name="Auftrag für eine suchende Person erstellen").click()
        await page.wait_for_url("**/auftraege/neu/fuer-wen")
        field = page.get_by_label("E-Mail-Adresse oder Telefon-Nummer der suchenden Person")
        await field.fill("niemand@example.org")
        await page.get_by_role("button", name="Weiter").click()  # nobody: said at the field
        await page.locator("#login-error").filter(has_text="keine suchende Person freigeschaltet").wait_for()
        await assert_accessible(page)
        await assert_fits(page)
        await snapshot(page, f"issue18-8-coordinator-for-whom-{size}")
        await page.get_by_label("E-Mail-Adresse oder Telefon-Nummer der suchenden Person").fill(SEEKER[0])
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/art")
        assert "Einkaufen" in await page.get_by_label("Beschreibung").input_value()  # Erika's introduction
        await page.get_by_label("Einmalig").check()
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_label("Datum").fill(_next_monday().isoformat())
        await page.get_by_label("Beginn").fill("14:00")
        await page.get_by_label("Ende").fill("15:00")
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/taetigkeiten")
        await page.get_by_role("button", name="Meinen Unterstützungs-Bedarf übernehmen").click()
        assert await page.get_by_label("Einkaufen").is_checked()  # Erika's needs
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/freigeben")
        assert "Erika Beispiel" in await page.locator("dl.summary").inner_text()
        await assert_accessible(page)
        await page.get_by_role("button", name="Auftrag freigeben").click()
        await page.wait_for_url(re.compile(r"/koordination#created-"))
        order_id = page.url.rsplit("#created-", 1)[1]
        await page.locator(f"#created-{order_id}").filter(has_text="Freigegeben").wait_for()
        await page.get_by_role("status").filter(has_text="Ihr Auftrag ist freigegeben").wait_for()
        await assert_accessible(page)
        await snapshot(page, f"issue18-8-coordinator-created-{size}")
    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=20) as api:  # Erika's order: she sees it
        mine = (await api.get(ORDERS, headers=demo["seeker"], params={"status": "published"})).json()["items"]
        assert order_id in {o["order_id"] for o in mine}
        (
            await api.post(f"{ORDERS}/{order_id}/withdraw", headers=demo["seeker"])
        ).raise_for_status()  # keep the demo clean


async def test_the_new_pages_refuse_the_wrong_roles(web_platform, chromium, demo_people, request):
    """Mein Konto is the seeker's (and guardian's), the calendar the assistant's, the coordinator's
    „Für wen?“ finds seekers only for coordinators; a guessed feed address finds nothing."""
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *ASSISTANT)
        for path in ("/mein-konto/daten", "/mein-konto/passwort", "/mein-konto/loeschen", "/auftraege/neu/fuer-wen"):
            assert (await page.goto(path)).status == 403, path
        refused = await page.request.post("/mein-konto/loeschen", form={"confirm": "yes"}, max_redirects=0)
        assert refused.status == 403  # no CSRF token and the wrong role: nothing happens
        await sign_in(page, *SEEKER)
        assert (await page.goto("/assistenz/kalender")).status == 403
        assert (await page.request.get("/kalender/geraten-123.ics")).status == 404
