"""The seeker and assistant journeys in Chromium on the real platform, as a person would walk them.

The assistant registers ("Freischaltung beantragen") and is activated by customer service (the
admin API); the seeker registers by keyboard alone through the wizard of seed 001, is activated,
creates a search order with the live count and publishes it; the assistant sees the request on
"Ihre aktuellen Verfügbarkeitsanfragen" and accepts it; the seeker awards the order ("Auftrag
erteilen"), picks the meeting date, both sign, the seeker rates. axe runs on every page visited.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from browser_support import assert_accessible, checked_page, tab_to
from platform_support import admin_token, token_for, verify_and_activate

PASSWORD = "Sonnenblume-Teilhabe-7"
POSTCODE = "37154"  # Northeim


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=(7 - today.weekday()) or 7)


@pytest.fixture(scope="module")
def people():
    tag = uuid.uuid4().hex[:8]
    return {"assistant": f"assistenz-{tag}@example.org", "seeker": f"suchend-{tag}@example.org"}


async def _login(page, login: str) -> None:
    await page.goto("/anmelden")
    await assert_accessible(page)
    await page.get_by_label("E-Mail-Adresse oder Telefon-Nummer").fill(login)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    await page.wait_for_load_state()


async def test_1_assistant_registers_and_is_activated(web_platform, chromium, people, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await page.goto("/")
        await page.get_by_role("link", name="Als Assistenz-Kraft registrieren").first.click()
        await assert_accessible(page)
        await page.get_by_label("Vor- und Nachname").fill("Anna Assistenz")
        await page.get_by_label("E-Mail-Adresse").fill(people["assistant"])
        await page.get_by_label("Postleitzahl").fill(POSTCODE)
        await page.get_by_label("Wie weit fahren Sie?").fill("30")
        await page.get_by_label("Einkaufen").check()
        await page.get_by_label("Spazieren gehen").check()
        for day in range(5):
            await page.locator(f"#availability-from-{day}").fill("08:00")
            await page.locator(f"#availability-to-{day}").fill("18:00")
        await page.get_by_label("Nichtraucher/in").check()
        await page.get_by_label("Ich bin selbstständig als Assistenz-Kraft tätig.").check()
        await page.locator("#password").fill(PASSWORD)
        await page.get_by_label("Passwort wiederholen").fill(PASSWORD)
        for consent in ("Datenschutz", "Widerrufs", "Geschäfts", "Bearbeitung"):
            await page.get_by_label(re.compile(consent)).check()
        await page.get_by_role("button", name="Freischaltung beantragen").click()
        await page.get_by_role("heading", name="Vielen Dank für Ihre Registrierung").wait_for()
        await assert_accessible(page)
    await verify_and_activate(web_platform.gateway, people["assistant"])


async def test_2_seeker_registers_by_keyboard_alone(web_platform, chromium, people, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        keyboard = page.keyboard
        await page.goto("/")
        await tab_to(page, "Jetzt registrieren")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren")
        await assert_accessible(page)
        await tab_to(page, "Registrierung starten")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/ueber-sie")
        await assert_accessible(page)
        for label, value in (
            ("Vor- und Nachname", "Susanne Suchend"),
            ("E-Mail-Adresse", people["seeker"]),
            ("Postleitzahl", POSTCODE),
            ("Kurzvorstellung", "Ich brauche Hilfe beim Einkaufen."),
        ):
            await tab_to(page, label)
            await keyboard.type(value)
        await tab_to(page, "Weiter")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/bedarf")
        await assert_accessible(page)
        await tab_to(page, "Einkaufen")
        await keyboard.press("Space")
        await tab_to(page, "Weiter")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/zeitfenster")
        await assert_accessible(page)
        await tab_to(page, "von")  # Monday, from
        await keyboard.type("0900")
        await keyboard.press("Tab")
        await keyboard.type("1300")
        await tab_to(page, "Weiter")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/zugangsdaten")
        await assert_accessible(page)
        await tab_to(page, "Passwort")
        await keyboard.type(PASSWORD)
        await tab_to(page, "Passwort wiederholen")
        await keyboard.type(PASSWORD)
        await tab_to(page, "Weiter")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/pruefen")
        await assert_accessible(page)
        summary = await page.locator("dl.summary").inner_text()
        assert "Susanne Suchend" in summary and "Einkaufen" in summary and "Montag 09:00–13:00" in summary
        await tab_to(page, "Weiter")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/einwilligungen")
        await assert_accessible(page)
        for consent in ("Datenschutz", "Widerrufs", "Geschäfts", "Bearbeitung"):
            await tab_to(page, consent)
            await keyboard.press("Space")
        await tab_to(page, "Registrierung abschließen")
        await keyboard.press("Enter")
        await page.wait_for_url("**/registrieren/fertig")
        await assert_accessible(page)
    await verify_and_activate(web_platform.gateway, people["seeker"])


async def test_3_seeker_creates_an_order_with_the_live_count_and_publishes(web_platform, chromium, people, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, people["seeker"])
        await page.wait_for_url("**/suchende")
        await assert_accessible(page)
        await page.get_by_role("link", name="Neuen Auftrag erstellen").click()
        await page.wait_for_url("**/auftraege/neu/art")
        await assert_accessible(page)
        assert "Ich brauche Hilfe beim Einkaufen." in await page.get_by_label("Beschreibung").input_value()
        await page.get_by_label("Einmalig").check()
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/termin")
        await page.get_by_label("Datum").fill(_next_monday().isoformat())
        await page.get_by_label("Beginn").fill("10:00")
        await page.get_by_label("Ende").fill("12:00")
        await assert_accessible(page)
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/taetigkeiten")
        await page.get_by_role("button", name="Meinen Unterstützungs-Bedarf übernehmen").click()
        assert await page.get_by_label("Einkaufen").is_checked()
        count = page.locator("#count")
        await count.filter(has_text=re.compile(r"[1-9]\d* verfügbare Assistenz-Kräfte gefunden")).wait_for()
        await page.get_by_label("Vorlesen").check()  # nobody reads aloud: the count drops live (htmx)
        await count.filter(has_text="0 verfügbare Assistenz-Kräfte gefunden").wait_for()
        await page.get_by_label("Vorlesen").uncheck()
        await count.filter(has_text=re.compile(r"[1-9]\d* verfügbare")).wait_for()
        await assert_accessible(page)
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/eigenschaften")
        await page.get_by_label("Nichtraucher/in").check()
        await assert_accessible(page)
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/freigeben")
        await assert_accessible(page)
        await page.get_by_role("button", name="Auftrag freigeben").click()
        await page.wait_for_url(re.compile(r"/auftraege/[^/]+$"))
        assert "Ihr Auftrag ist freigegeben" in await page.locator("#status").inner_text()
        await assert_accessible(page)


async def test_4_assistant_pages(web_platform, chromium, people, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, people["assistant"])
        await page.wait_for_url("**/assistenz")
        await page.get_by_role("heading", name="Ihre aktuellen Verfügbarkeitsanfragen").wait_for()
        await page.get_by_role("heading", name="Freie Aufträge in der Nähe").wait_for()
        await page.locator(".leaflet-container").wait_for()  # the map is drawn (vendored Leaflet)
        await assert_accessible(page)
        await page.get_by_label("Distance".replace("Distance", "Entfernung")).select_option("50")
        await page.get_by_label("Wiederkehrend").check()
        await page.get_by_role("button", name="Filtern").click()
        await page.wait_for_url("**/assistenz?distance=50&kind=recurring")
        await assert_accessible(page)
        await page.get_by_role("link", name="Verfügbarkeit und Tätigkeiten").click()
        await page.wait_for_url("**/assistenz/profil")
        assert await page.get_by_label("Einkaufen").is_checked()
        assert await page.locator("#availability-from-0").input_value() == "08:00"
        await page.locator("#availability-from-5").fill("10")
        await page.locator("#availability-to-5").fill("14:30")
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
        assert await page.locator("#availability-from-5").input_value() == "10:00"
        await assert_accessible(page)
        await page.get_by_role("link", name="Meine Einsätze").click()
        await page.wait_for_url("**/assistenz/einsaetze")
        await assert_accessible(page)
        await page.goto("/assistenz/bewertungen")
        await page.get_by_role("heading", name="Bewertungen").wait_for()
        await assert_accessible(page)


async def test_5_notifications_arrive_live(web_platform, chromium, people, request):
    """The badge counts unread notifications and a new one arrives over SSE, announced politely."""
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, people["seeker"])
        await page.goto("/benachrichtigungen")
        await page.get_by_text("Sie können das Portal jetzt nutzen").first.wait_for()  # AccountActivated
        await assert_accessible(page)
        badge = page.locator("#badge")
        await badge.filter(has_text=re.compile(r"\d")).wait_for()
        before = int(re.match(r"\d+", await badge.inner_text()).group())
        async with httpx.AsyncClient(base_url=web_platform.gateway) as client:
            asked = await client.post("/api/v1/identity/auth/password-reset", json={"login": people["seeker"]})
            assert asked.status_code == 202
        await badge.filter(has_text=re.compile(rf"^{before + 1}\b")).wait_for(timeout=15_000)
        await page.locator("#live").filter(has_text=re.compile(r"\S")).wait_for()  # aria-live announcement
        await page.get_by_role("button", name="Alle als gelesen markieren").click()
        await page.wait_for_url("**/benachrichtigungen")
        await page.wait_for_function("document.getElementById('badge').textContent === ''")
        await assert_accessible(page)


async def _reload_until(page, text: str, where: str = "main") -> None:
    """Reload until `text` shows (read models follow events within moments)."""
    for _ in range(40):
        if text in await page.locator(where).inner_text():
            return
        await page.wait_for_timeout(250)
        await page.reload()
    raise AssertionError(f"{text!r} never appeared on {page.url}")


async def _api_token(base_url: str, login: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post("/api/v1/identity/auth/login", json={"login": login, "password": PASSWORD})
        response.raise_for_status()
        return response.json()["access_token"]


async def test_6_assistant_accepts_the_request_and_both_chat_before_the_award(web_platform, chromium, people, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_assistant") as assistant:
        await _login(assistant, people["assistant"])
        requests_ = assistant.locator("#requests")
        for _ in range(20):  # matching pushes the request within moments of the publication
            if await requests_.count():
                break
            await assistant.wait_for_timeout(500)
            await assistant.reload()
        card = requests_.locator("li.card").first
        assert "Einkaufen" in await card.inner_text()
        await assert_accessible(assistant)
        await card.get_by_role("button", name=re.compile("^Annehmen")).click()
        await assistant.get_by_role("status").filter(has_text="über Ihr Interesse informiert").wait_for()
        await assert_accessible(assistant)

        async with checked_page(chromium, web_platform.gateway, request.node.name + "_seeker") as seeker:
            await _login(seeker, people["seeker"])
            await seeker.get_by_role("heading", name="In Bearbeitung").wait_for()
            await seeker.locator("#group-in_progress ~ ul a, ul.cards a").first.click()
            offer = seeker.locator("li.card[id^=offer-]").first
            await offer.wait_for()
            assert "Hat Interesse" in await offer.inner_text()
            await assert_accessible(seeker)
            await offer.get_by_role("button", name=re.compile("^Chat öffnen")).click()
            await seeker.wait_for_url(re.compile(r"/nachrichten/[^/]+$"))
            await seeker.get_by_role("textbox", name="Nachricht").fill(
                "Guten Tag! Passt Ihnen ein Video-Chat am Freitag?"
            )
            await seeker.get_by_role("button", name="Senden").click()
            await seeker.get_by_text("Passt Ihnen ein Video-Chat am Freitag?").wait_for()
            await assert_accessible(seeker)
            chat_url = seeker.url

            await assistant.get_by_role("link", name="Chat").click()
            await assistant.wait_for_url("**/nachrichten")
            await assert_accessible(assistant)
            await assistant.locator("main ul a").first.click()
            await assistant.get_by_text("Passt Ihnen ein Video-Chat am Freitag?").wait_for()
            await assistant.get_by_role("textbox", name="Nachricht").fill("Ja, gern! Freitag um 10 Uhr.")
            await assistant.get_by_role("button", name="Senden").click()
            await assistant.get_by_text("Freitag um 10 Uhr.").wait_for()

            await seeker.get_by_text("Freitag um 10 Uhr.").wait_for(timeout=15_000)  # htmx refresh
            await seeker.go_back()
            await seeker.go_back()
            await seeker.reload()
            offer = seeker.locator("li.card[id^=offer-]").first
            await offer.get_by_role("button", name=re.compile("^Auftrag erteilen")).click()
            await seeker.get_by_role("status").filter(has_text="Sie haben den Auftrag erteilt").wait_for()
            await assert_accessible(seeker)
            assert chat_url


async def test_7_meeting_contract_signatures_and_rating(web_platform, chromium, people, request):
    """After the award: the (self-employed) assistant proposes dates and drafts through the API
    (the back office of the next issue); the seeker picks the date, both sign in the browser
    with their password, the assistant ratifies, the seeker rates."""
    token = await _api_token(web_platform.gateway, people["assistant"])
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=web_platform.gateway, headers=headers, timeout=15) as api:
        contract = None
        for _ in range(80):  # contracts opens the process when OfferAccepted arrives
            planned = (await api.get("/api/v1/contracts/assistance", params={"view": "planned"})).json()
            if planned:
                contract = planned[0]
                break
            await asyncio.sleep(0.25)
        assert contract, "no contract process opened after the award"
        base = f"/api/v1/contracts/assistance/{contract['contract_id']}"
        monday = _next_monday()
        slots = [f"{monday.isoformat()}T10:00:00+01:00", f"{(monday + timedelta(days=1)).isoformat()}T15:00:00+01:00"]
        (await api.post(f"{base}/meeting-proposals", json={"slots": slots})).raise_for_status()

        async with checked_page(chromium, web_platform.gateway, request.node.name + "_seeker") as seeker:
            await _login(seeker, people["seeker"])
            await seeker.goto(f"/vertraege?order={contract['order_id']}")
            await seeker.wait_for_url(f"**/vertraege/{contract['contract_id']}")
            await seeker.get_by_role("heading", name="Kennenlernen, Termin noch offen", level=1).wait_for()
            await seeker.get_by_role("heading", name="Kennenlern-Termin").wait_for()
            await assert_accessible(seeker)
            await seeker.get_by_label(re.compile(r"15:00 Uhr")).check()
            await seeker.get_by_role("button", name="Termin auswählen").click()
            await seeker.get_by_role("status").filter(has_text="Der Termin ist vereinbart.").wait_for()

            terms = {
                "activities": ["shopping"],
                "schedule": "montags von 10 bis 12 Uhr",
                "hourly_rate_cents": 2150,
                "payer": "relief_amount",
                "starts_on": _today().isoformat(),
                "notice_weeks": 2,
            }
            (await api.post(f"{base}/meeting/held")).raise_for_status()  # no contract before the meeting
            (await api.post(f"{base}/draft", json=terms)).raise_for_status()

            await _reload_until(seeker, "21,50 €")
            title, number = (
                f"Einkaufen ab {_today().strftime('%d.%m.%Y')}",
                f"Vertrags-Nummer {contract['contract_id'][:8]}",
            )
            await seeker.get_by_role("heading", name=title, level=1).wait_for()
            await seeker.get_by_text(number, exact=True).wait_for()
            await assert_accessible(seeker)
            await seeker.locator("#password").fill(PASSWORD)
            await seeker.get_by_role("button", name="Vertrag unterschreiben").click()
            await seeker.get_by_role("status").filter(has_text="Sie haben den Vertrag unterschrieben.").wait_for()
            await seeker.goto("/vertraege")  # the list names the contract, the number keeps link texts unique
            await assert_accessible(seeker)
            await seeker.get_by_role("link", name=f"{title} ({number})").click()
            await seeker.wait_for_url(f"**/vertraege/{contract['contract_id']}")

            async with checked_page(chromium, web_platform.gateway, request.node.name + "_assistant") as assistant:
                await _login(assistant, people["assistant"])
                await assistant.goto("/assistenz/einsaetze?view=planned")
                await assert_accessible(assistant)
                card = assistant.locator("li.card").filter(has_text=number)
                await card.get_by_role("heading", name=title).wait_for()
                await card.get_by_role("link", name=f"Vertrag öffnen – {title} ({number})").click()
                await assistant.get_by_role("heading", name=title, level=1).wait_for()
                await assistant.locator("#password").fill(PASSWORD)
                await assistant.get_by_role("button", name="Vertrag unterschreiben").click()
                await assistant.get_by_role("status").filter(has_text="unterschrieben").wait_for()
                await assert_accessible(assistant)

            (await api.post(f"{base}/ratification")).raise_for_status()
            async with checked_page(chromium, web_platform.gateway, request.node.name + "_billing") as assistant:
                await _login(assistant, people["assistant"])
                await assistant.goto(f"/vertraege/{contract['contract_id']}")
                await _reload_until(assistant, "Abrechnung")
                await assistant.get_by_label("Datum").fill(_today().isoformat())
                await assistant.get_by_label("Dauer (Stunden:Minuten)").fill("2:30")
                await assistant.get_by_role("button", name="Stunden eintragen").click()
                await assistant.get_by_role("status").filter(has_text="Die Stunden sind eingetragen.").wait_for()
                assert "2:30" in await assistant.locator("table").inner_text()
                await assert_accessible(assistant)
            await _reload_until(seeker, "Aktiv", ".lead")
            await seeker.get_by_label("5", exact=True).check()
            await seeker.get_by_label("Ihr Kommentar (freiwillig)").fill("Sehr freundlich und pünktlich.")
            await seeker.get_by_role("button", name="Bewertung abgeben").click()
            await seeker.get_by_role("status").filter(has_text="Danke für Ihre Bewertung.").wait_for()
            await assert_accessible(seeker)


async def test_8_free_orders_nearby_on_the_map_and_in_the_list(web_platform, chromium, people, request):
    """An order the assistant does not fully match (reading aloud) is a free order nearby: a circle
    on the map and an entry in the equivalent list, which the assistant can take up."""
    seeker_token = await _api_token(web_platform.gateway, people["seeker"])
    order = {
        "schedule": {
            "kind": "recurring",
            "start_date": _next_monday().isoformat(),
            "interval": "weekly",
            "appointments_per_interval": 1,
            "ranges": [{"weekday": 2, "start": "09:00", "end": "10:00"}],
        },
        "activities": ["reading_aloud"],
        "postcode": POSTCODE,
        "max_distance_km": 20,
    }
    async with httpx.AsyncClient(
        base_url=web_platform.gateway, timeout=15, headers={"Authorization": f"Bearer {seeker_token}"}
    ) as api:
        created = (await api.post("/api/v1/orders/orders", json=order)).json()
        (await api.post(f"/api/v1/orders/orders/{created['order_id']}/publish")).raise_for_status()
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, people["assistant"])
        item = page.locator(f"#order-{created['order_id']}")
        for _ in range(20):  # matching projects the published order within moments
            if await item.count():
                break
            await page.wait_for_timeout(500)
            await page.goto("/assistenz?kind=recurring")
        assert "Passt nicht:" in await item.inner_text()
        assert await page.locator(".leaflet-interactive").count() >= 1  # circle markers
        await item.get_by_role("button", name="In der Karte zeigen").click()
        await page.locator(".leaflet-popup-content a").wait_for()
        await assert_accessible(page)
        await page.goto("/assistenz?kind=one_time")
        assert await page.locator(f"#order-{created['order_id']}").count() == 0  # the filter applies
        await page.goto("/assistenz?kind=recurring")
        await item.get_by_role("button", name=re.compile("^Aufnehmen")).click()
        await page.get_by_role("status").filter(has_text="über Ihr Interesse informiert").wait_for()
        await page.goto("/assistenz/einsaetze")
        assert await page.locator("main li.card").count() >= 1
        await assert_accessible(page)


async def test_9_provider_offer_gets_anfrage_senden(web_platform, chromium, people, request):
    """A provider's coordinator answers for the provider: the seeker sends a request ("Anfrage
    senden", yellow) instead of awarding directly."""
    admin = {"Authorization": f"Bearer {admin_token()}"}
    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=15) as api:
        provider = (
            await api.post(
                "/api/v1/identity/organisations",
                headers=admin,
                json={"kind": "service_provider", "name": f"Dienst {uuid.uuid4().hex[:6]}", "postcode": POSTCODE},
            )
        ).json()
        coordinator = {
            "Authorization": "Bearer "
            + token_for(f"coordinator-{uuid.uuid4().hex[:8]}", "coordinator", organisation_id=provider["id"])
        }
        seeker = {"Authorization": f"Bearer {await _api_token(web_platform.gateway, people['seeker'])}"}
        mine = (await api.get("/api/v1/orders/orders", headers=seeker, params={"status": "published"})).json()
        order_id = mine["items"][0]["order_id"]
        (await api.post(f"/api/v1/orders/orders/{order_id}/offers", headers=coordinator, json={})).raise_for_status()
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, people["seeker"])
        await page.goto(f"/auftraege/{order_id}")
        offer = page.locator("li.card[id^=offer-]").filter(has_text="Leistungs-Anbieter")
        await offer.get_by_role("button", name=re.compile("^Anfrage senden")).click()
        await page.get_by_role("status").filter(has_text="an die Koordination").wait_for()
        assert (
            "Anfrage gesendet"
            in await page.locator("li.card[id^=offer-]").filter(has_text="Leistungs-Anbieter").inner_text()
        )
        await assert_accessible(page)
        await page.get_by_role("link", name="Auftrag löschen").click()  # asks before it deletes
        await page.get_by_role("heading", name="Auftrag löschen").wait_for()
        await assert_accessible(page)
        await page.get_by_role("button", name="Ja, Auftrag löschen").click()
        await page.wait_for_url("**/suchende")
        await page.get_by_role("status").filter(has_text="Der Auftrag ist gelöscht.").wait_for()
