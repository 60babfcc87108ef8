"""Back office in Chromium. Customer service: an assistant registers, customer service (the demo admin) finds
them in the verification queue, records every step with a reason (a missing reason is refused at
the field), activates them, opens the data access view with the history from the events and
downloads both (JSON, CSV), locks/unlocks and marks
for deletion/restores the account, and creates an organisation. Other roles are refused.
The demo coordinator proposes the demo assistant for a request to their provider and sees nothing
of another provider's offer. Customer service verifies an assistant by keyboard alone. axe runs
on every page visited, the back office pages reflow at 320 px."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import uuid
from datetime import date, timedelta

import httpx
import pytest
from browser_support import api_token, assert_accessible, checked_page, sign_in, tab_to
from platform_support import ROOT, admin_token, token_for

from teilhabe_kit import localtime

ADMIN = ("admin@demo.teilhabe.de", "Demo-Admin-2026!")
PASSWORD = "Sonnenblume-Teilhabe-7"


@pytest.fixture(scope="module")
def demo_admin(web_platform):
    """identity's demo loader (idempotent) gives customer service a password to sign in with."""
    subprocess.run([sys.executable, "-m", "identity.demo"], cwd=ROOT, check=True, capture_output=True, timeout=60)
    return ADMIN


async def _register_assistant(page, name: str, email: str) -> None:
    await page.goto("/assistenz/registrieren")
    await page.get_by_label("Vor- und Nachname").fill(name)
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Postleitzahl").fill("37154")
    await page.get_by_label("Wie weit fahren Sie?").fill("20")
    await page.get_by_label("Einkaufen").check()
    await page.locator("#availability-from-0").fill("08:00")
    await page.locator("#availability-to-0").fill("12:00")
    await page.get_by_label("Ich bin selbstständig als Assistenz-Kraft tätig.").check()
    await page.locator("#password").fill(PASSWORD)
    await page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    for consent in ("Datenschutz", "Widerrufs", "Geschäfts", "Bearbeitung"):
        await page.get_by_label(re.compile(consent)).check()
    await page.get_by_role("button", name="Freischaltung beantragen").click()
    await page.get_by_role("heading", name="Vielen Dank für Ihre Registrierung").wait_for()


async def test_customer_service_verifies_an_assistant_from_registration_to_activation(
    web_platform, chromium, demo_admin, request
):
    tag = uuid.uuid4().hex[:8]
    name, email = f"Bea Prüfling {tag}", f"pruefling-{tag}@example.org"
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_register") as page:
        await _register_assistant(page, name, email)
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *demo_admin)
        await page.wait_for_url("**/verwaltung")
        await page.get_by_role("heading", name="Warteschlange der Prüfungen").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Name, E-Mail-Adresse oder Telefon-Nummer").fill(name)
        await page.get_by_role("button", name="Suchen").click()
        card = page.locator("li.card").filter(has_text=name)
        assert "Erweitertes Führungszeugnis" in await card.inner_text()
        await card.get_by_role("link", name=name).click()
        await page.get_by_role("heading", name=name).wait_for()
        await assert_accessible(page)

        await page.get_by_role("button", name="Freischalten").click()  # steps missing: refused
        await page.get_by_role("alert").wait_for()
        await assert_accessible(page)
        await page.get_by_role("button", name="Schritt erfassen").click()  # no reason: refused at the field
        await page.locator("#reason[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        while await page.locator("#step option").count():
            step = await page.locator("#step option").first.inner_text()
            await page.get_by_label("Schritt", exact=True).select_option(label=step)
            await page.locator("#reason").fill(f"{step}: im Original gesehen")
            await page.get_by_role("button", name="Schritt erfassen").click()
            await page.get_by_role("status").filter(has_text="Der Schritt wurde gespeichert.").wait_for()
        await page.get_by_text("Alle Schritte erledigt – bereit zur Freischaltung.").wait_for()
        await page.get_by_role("button", name="Freischalten").click()
        await page.get_by_role("status").filter(has_text="Das Konto ist freigeschaltet.").wait_for()
        assert "freigeschaltet" in await page.locator("main").inner_text()
        await assert_accessible(page)

        await page.get_by_role("link", name="Auskunft (Daten der Person)").click()
        await page.get_by_text(
            "Erweitertes Führungszeugnis – Erweitertes Führungszeugnis: im Original gesehen"
        ).wait_for()
        await assert_accessible(page)
        async with page.expect_download() as info:
            await page.get_by_role("link", name="Als Datei herunterladen (JSON)").click()
        export = json.loads((await (await info.value).path()).read_text())
        assert {s["step"] for s in export["verification_steps"]} >= {"police_certificate", "self_employment_proof"}
        assert [h["event_type"] for h in export["history"]][0] == "Registered"
        history = await page.locator("#history").inner_text()  # the history from the events, in plain words
        for line in (
            "Registriert – ",
            "Wer: die Person selbst",
            "Prüfschritt erfasst – ",
            "Wer: Kunden-Service\nErweitertes Führungszeugnis: im Original gesehen · Erweitertes Führungszeugnis",
            "Freigeschaltet – ",
        ):
            assert line in history, (line, history)
        assert email not in history and "37154" not in history
        async with page.expect_download() as info:
            await page.get_by_role("link", name="Verlauf herunterladen (CSV)").click()
        rows = (await (await info.value).path()).read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("Wann;") and rows[-1].split(";")[2:5] == [
            "Freigeschaltet",
            "Activated",
            "Kunden-Service",
        ]

        await page.goto("/verwaltung/konten")
        await assert_accessible(page)
        await page.get_by_label("Name, E-Mail-Adresse oder Telefon-Nummer").fill(email)
        await page.get_by_label("Rolle").select_option(label="Assistenz-Kraft")
        await page.get_by_role("button", name="Suchen").click()
        await page.get_by_role("heading", name="1 Konten gefunden").wait_for()
        await assert_accessible(page)
        await page.get_by_role("link", name=name).click()
        await page.get_by_role("button", name="Sperren").click()
        await page.locator("#lock_reason[aria-invalid=true]").wait_for()
        await page.get_by_label("Grund der Sperre").fill("Auf Wunsch der Person vorübergehend")
        await page.get_by_role("button", name="Sperren").click()
        await page.get_by_role("status").filter(has_text="Das Konto ist gesperrt.").wait_for()
        await page.get_by_role("button", name="Entsperren").click()
        await page.get_by_role("status").filter(has_text="Das Konto ist entsperrt.").wait_for()
        await page.get_by_role("button", name="Zum Löschen vormerken").click()
        await page.get_by_role("status").filter(has_text="zum Löschen vorgemerkt").wait_for()
        await assert_accessible(page)
        await page.get_by_role("button", name="Löschung rückgängig machen").click()
        await page.get_by_role("status").filter(has_text="Die Löschung wurde rückgängig gemacht.").wait_for()

        await page.goto("/verwaltung/organisationen")
        await assert_accessible(page)
        await page.get_by_label("Name").fill(f"Dienst {tag}")
        await page.get_by_label("Postleitzahl").fill("00000")
        await page.get_by_role("button", name="Anlegen").click()
        await page.locator("#postcode[aria-invalid=true]").wait_for()  # identity's refusal at the field
        await assert_accessible(page)
        await page.get_by_label("Postleitzahl").fill("37154")
        await page.get_by_role("button", name="Anlegen").click()
        await page.get_by_role("heading", name=f"Dienst {tag}").wait_for()

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_refused") as page:
        await sign_in(page, email, PASSWORD)  # the activated assistant: no back office
        for path in ("/verwaltung", "/verwaltung/konten", "/verwaltung/organisationen"):
            response = await page.goto(path)
            assert response.status == 403, path
            await assert_accessible(page)


async def test_customer_service_verifies_an_assistant_by_keyboard_alone(web_platform, chromium, demo_admin, request):
    """Only Tab, Enter and Space (and typing into fields): sign in, search the queue, open the
    person, record every missing step with a reason, activate, open the data access view."""
    tag = uuid.uuid4().hex[:8]
    name = f"Tara Tastatur {tag}"
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_register") as page:
        await _register_assistant(page, name, f"tastatur-{tag}@example.org")
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        keyboard = page.keyboard
        await page.goto("/anmelden")
        await tab_to(page, "E-Mail-Adresse oder Telefon-Nummer")
        await keyboard.type(demo_admin[0])
        await tab_to(page, "Passwort")
        await keyboard.type(demo_admin[1])
        await keyboard.press("Enter")
        await page.wait_for_url("**/verwaltung")
        await assert_accessible(page)
        await tab_to(page, "Name, E-Mail-Adresse oder Telefon-Nummer")
        await keyboard.type(name)
        await keyboard.press("Enter")
        await page.wait_for_url("**/verwaltung?q=*")
        await assert_accessible(page)
        await tab_to(page, "Suchen")  # past the search field, which holds the name too
        await tab_to(page, name)
        await keyboard.press("Enter")
        await page.wait_for_url("**/verwaltung/konten/*")
        await assert_accessible(page)
        while await page.locator("#step option").count():  # the first missing step is preselected
            step = await page.locator("#step option").first.inner_text()
            await tab_to(page, "Begründung")
            await keyboard.type(f"{step}: vorgelegt")
            await tab_to(page, "Schritt erfassen")
            await keyboard.press("Enter")
            await page.get_by_role("status").filter(has_text="Der Schritt wurde gespeichert.").wait_for()
            await assert_accessible(page)
        await page.get_by_text("Alle Schritte erledigt – bereit zur Freischaltung.").wait_for()
        await tab_to(page, "Freischalten")
        await keyboard.press("Space")
        await page.get_by_role("status").filter(has_text="Das Konto ist freigeschaltet.").wait_for()
        await assert_accessible(page)
        await tab_to(page, "Auskunft (Daten der Person)")
        await keyboard.press("Enter")
        await page.get_by_text("Freigeschaltet – ").wait_for()
        await assert_accessible(page)


async def test_back_office_reflows_at_320_px(web_platform, chromium, demo_admin, request):
    async with checked_page(
        chromium, web_platform.gateway, request.node.name, viewport={"width": 320, "height": 640}
    ) as page:
        await sign_in(page, *demo_admin)
        for path in ("/verwaltung", "/verwaltung/konten", "/verwaltung/organisationen"):
            await page.goto(path)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320 px ({width})"


SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
COORDINATOR = ("kora@demo.teilhabe.de", "Demo-Koordination-2026!")
ASSISTANT = ("max@demo.teilhabe.de", "Demo-Assistenz-2026!")
ORDERS = "/api/v1/orders/orders"
CONTRACTS = "/api/v1/contracts/assistance"


async def _provider_request(base_url: str) -> tuple[str, str, str]:
    """The demo seeker publishes an order, the demo provider offers, the seeker sends "Anfrage
    senden"; a second provider (B) offers too. Returns the order, A's offer and B's offer."""
    today = date.today()
    monday = today + timedelta(days=(7 - today.weekday()) or 7)
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        seeker, coordinator = await api_token(api, *SEEKER), await api_token(api, *COORDINATOR)
        created = await api.post(
            ORDERS,
            headers=seeker,
            json={
                "schedule": {"kind": "one_time", "date": monday.isoformat(), "start": "09:00", "end": "11:00"},
                "activities": ["shopping"],
                "traits": [],
                "postcode": "37154",
                "max_distance_km": 40,
            },
        )
        created.raise_for_status()
        order_id = created.json()["order_id"]
        (await api.post(f"{ORDERS}/{order_id}/publish", headers=seeker)).raise_for_status()
        offer = await api.post(f"{ORDERS}/{order_id}/offers", headers=coordinator, json={})
        offer.raise_for_status()
        offer_id = offer.json()["offer_id"]
        (await api.post(f"{ORDERS}/{order_id}/offers/{offer_id}/provider-request", headers=seeker)).raise_for_status()
        admin = {"Authorization": f"Bearer {admin_token()}"}
        other = (
            await api.post(
                "/api/v1/identity/organisations",
                headers=admin,
                json={"kind": "service_provider", "name": f"Dienst B {uuid.uuid4().hex[:6]}", "postcode": "37154"},
            )
        ).json()
        coordinator_b = {
            "Authorization": "Bearer "
            + token_for(f"coordinator-{uuid.uuid4().hex[:8]}", "coordinator", organisation_id=other["id"])
        }
        offer_b = await api.post(f"{ORDERS}/{order_id}/offers", headers=coordinator_b, json={})
        offer_b.raise_for_status()
    return order_id, offer_id, offer_b.json()["offer_id"]


async def test_coordinator_proposes_an_assistant_and_sees_nothing_of_another_provider(
    web_platform, chromium, demo_admin, request
):
    order_id, offer_id, offer_b = await _provider_request(web_platform.gateway)
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *COORDINATOR)
        await page.wait_for_url("**/koordination")
        await page.get_by_role("heading", name="Anfragen an Ihren Dienst").wait_for()
        await assert_accessible(page)
        assert f"/koordination/anfragen/{order_id}/{offer_b}" not in await page.content()
        await page.locator(f'a[href="/koordination/anfragen/{order_id}/{offer_id}"]').click()
        await page.get_by_role("heading", name="Anfrage an Ihren Dienst").wait_for()
        for _ in range(20):  # matching indexes the published order asynchronously
            if await page.get_by_role("button", name="Assistenz vorschlagen: Max Helfer").count():
                break
            await page.wait_for_timeout(500)
            await page.reload()
        await assert_accessible(page)
        await page.get_by_role("button", name="Assistenz vorschlagen: Max Helfer").click()
        await page.get_by_role("status").filter(has_text="Die Assistenz wurde vorgeschlagen.").wait_for()
        assert "Vorgeschlagen: Max Helfer" in await page.locator("main").inner_text()
        await assert_accessible(page)
        contract_id = await _contract_opens(web_platform.gateway, order_id, offer_id)
        await _meeting_draft_signatures_ratification(page, web_platform.gateway, contract_id)

        response = await page.goto(f"/koordination/anfragen/{order_id}/{offer_b}")  # provider B's offer
        assert response.status == 404
        await assert_accessible(page)
        await page.goto("/koordination")
        await page.get_by_role("link", name="Max Helfer").click()
        await page.get_by_role("heading", name="Max Helfer").wait_for()
        await assert_accessible(page)
        seeker_id = await _account_id(web_platform.gateway, SEEKER)
        response = await page.goto(f"/koordination/assistenz/{seeker_id}")  # not an assistant of this provider
        assert response.status in (403, 404)
        response = await page.goto("/verwaltung")
        assert response.status == 403


async def _account_id(base_url: str, who: tuple[str, str]) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        return (await api.get("/api/v1/identity/me", headers=await api_token(api, *who))).json()["id"]


async def _contract_opens(base_url: str, order_id: str, offer_id: str) -> str:
    """The seeker accepts the proposed assistant; contracts opens the process (from Kafka)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        seeker, coordinator = await api_token(api, *SEEKER), await api_token(api, *COORDINATOR)
        (await api.post(f"{ORDERS}/{order_id}/offers/{offer_id}/accept", headers=seeker)).raise_for_status()
        for _ in range(60):
            planned = (await api.get(CONTRACTS, headers=coordinator, params={"view": "planned"})).json()
            found = [c["contract_id"] for c in planned if c["order_id"] == order_id]
            if found:
                return found[0]
            await asyncio.sleep(0.5)
    raise AssertionError("no contract opened for the accepted offer")


async def _as_party(base_url: str, contract_id: str, who: tuple[str, str], path: str, body: dict) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        (
            await api.post(f"{CONTRACTS}/{contract_id}{path}", headers=await api_token(api, *who), json=body)
        ).raise_for_status()


async def _meeting_draft_signatures_ratification(page, base_url: str, contract_id: str) -> None:
    """The coordinator proposes a meeting date, drafts and ratifies in the browser; the seeker picks
    the date and both parties sign through the API."""
    meeting = date.today() + timedelta(days=3)
    number = f"Vertrags-Nummer {contract_id[:8]}"
    await page.goto("/koordination/vertraege")
    await page.get_by_role("heading", name="Kennenlern-Termine").wait_for()
    card = page.locator("li.card").filter(has=page.locator(f'a[href="/koordination/vertraege/{contract_id}"]'))
    await card.get_by_role("heading", name="Max Helfer – Kennenlernen, Termin noch offen").wait_for()
    assert number in await card.inner_text()
    await card.get_by_role(
        "link", name=f"Vertrag öffnen – Max Helfer – Kennenlernen, Termin noch offen ({number})"
    ).wait_for()
    await assert_accessible(page)
    await page.goto(f"/koordination/vertraege/{contract_id}")
    await page.get_by_role("heading", level=1, name="Max Helfer – Kennenlernen, Termin noch offen").wait_for()
    await page.get_by_text(number).wait_for()
    await page.get_by_role("button", name="Termine vorschlagen").click()  # nothing given: refused
    await page.locator("#slot_day_0[aria-invalid=true]").wait_for()
    await assert_accessible(page)
    await page.get_by_label("Tag 1").fill(meeting.isoformat())
    await page.get_by_label("Uhrzeit 1").fill("14:30")
    await page.get_by_role("button", name="Termine vorschlagen").click()
    await page.get_by_role("status").filter(has_text="Die Termine wurden vorgeschlagen.").wait_for()
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        slot = (await api.get(f"{CONTRACTS}/{contract_id}", headers=await api_token(api, *SEEKER))).json()["slots"][0]
    await _as_party(base_url, contract_id, SEEKER, "/meeting", {"slot": slot})
    await page.goto(f"/koordination/vertraege/{contract_id}")
    await page.get_by_role(
        "heading", level=1, name=f"Max Helfer – Kennenlernen am {meeting.strftime('%d.%m.%Y')}, 14:30 Uhr"
    ).wait_for()
    assert await page.get_by_role("button", name="Vertrag entwerfen").count() == 0  # not before the meeting
    await page.get_by_role("button", name="Das Kennenlern-Treffen hat stattgefunden").click()
    await page.get_by_role("status").filter(has_text="Das Treffen hat stattgefunden.").wait_for()
    await page.get_by_label("Einkaufen").check()
    await page.get_by_label("Vereinbarte Zeiten (in Worten)").fill("montags 9 bis 11 Uhr")
    await page.get_by_label("Stundensatz in Euro").fill("32,50")
    await page.get_by_label("Beginn").fill((meeting + timedelta(days=7)).isoformat())
    await page.get_by_label("Kündigungsfrist in Wochen").fill("2")
    await assert_accessible(page)
    await page.get_by_role("button", name="Vertrag entwerfen").click()
    await page.get_by_role("status").filter(has_text="Der Entwurf ist gespeichert.").wait_for()
    title = f"Max Helfer – Einkaufen ab {(meeting + timedelta(days=7)).strftime('%d.%m.%Y')}"
    await page.get_by_role("heading", level=1, name=title).wait_for()
    assert (await page.title()).startswith(title)
    await page.get_by_role("button", name="Vertrag gegenzeichnen (ratifizieren)").click()  # unsigned: refused
    await page.get_by_role("alert").wait_for()
    await assert_accessible(page)
    await _as_party(base_url, contract_id, SEEKER, "/signatures", {"party": "seeker", "password": SEEKER[1]})
    await _as_party(base_url, contract_id, ASSISTANT, "/signatures", {"party": "assistant", "password": ASSISTANT[1]})
    await page.goto(f"/koordination/vertraege/{contract_id}")
    await page.get_by_role("button", name="Vertrag gegenzeichnen (ratifizieren)").click()
    await page.get_by_role("status").filter(has_text="Der Vertrag ist gegengezeichnet und gilt.").wait_for()
    assert "gültig" in await page.locator("main").inner_text()
    await assert_accessible(page)
    await page.goto("/koordination/vertraege")  # the meeting list names the contract too, number for screen readers
    meetings = page.get_by_role("region", name="Kennenlern-Termine")
    await meetings.get_by_role("link", name=f"{title} ({number})").wait_for()
    # once recorded as held, the list shows when it took place (here: today, Berlin), not the proposed slot
    assert f"Termin: {localtime.today().strftime('%d.%m.%Y')}," in await meetings.inner_text()
    await assert_accessible(page)


async def _assistant_offers(base_url: str) -> str:
    """The demo seeker publishes an order and the demo assistant offers for it; the offer's title on Einsätze."""
    monday = date.today() + timedelta(days=(7 - date.today().weekday()) or 7)
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        seeker, assistant = await api_token(api, *SEEKER), await api_token(api, *ASSISTANT)
        created = await api.post(
            ORDERS,
            headers=seeker,
            json={
                "schedule": {"kind": "one_time", "date": monday.isoformat(), "start": "14:00", "end": "16:00"},
                "activities": ["shopping"],
                "traits": [],
                "postcode": "37154",
                "max_distance_km": 40,
            },
        )
        created.raise_for_status()
        order_id = created.json()["order_id"]
        (await api.post(f"{ORDERS}/{order_id}/publish", headers=seeker)).raise_for_status()
        (await api.post(f"{ORDERS}/{order_id}/offers", headers=assistant, json={})).raise_for_status()
    return f"Einkaufen am {monday.strftime('%d.%m.%Y')}"


async def test_assistant_app_tabs_on_a_phone(web_platform, chromium, demo_admin, request):
    """The Helferportal tab bar on a 360 px phone: every tab reachable, the font size set in
    Einstellungen, no sideways scrolling (Einsätze with its cards also at "Sehr groß"), axe on each page."""
    async with checked_page(
        chromium, web_platform.gateway, request.node.name, viewport={"width": 360, "height": 740}, has_touch=True
    ) as page:
        await sign_in(page, *ASSISTANT)
        tabs = page.get_by_role("navigation", name="App-Navigation")
        await tabs.wait_for()
        for tab, url in (
            ("Anfragen", "**/assistenz#requests-title"),
            ("Suche", "**/assistenz#free-title"),
            ("Einsätze", "**/assistenz/einsaetze"),
            ("Einstellungen", "**/einstellungen"),
            ("Übersicht", "**/assistenz"),
        ):
            await tabs.get_by_role("link", name=tab).click()
            await page.wait_for_url(url)
            assert await page.evaluate("document.documentElement.scrollWidth") <= 360, tab
            await assert_accessible(page)
        await tabs.get_by_role("link", name="Einstellungen").click()
        assert await tabs.get_by_role("link", name="Einstellungen").get_attribute("aria-current") == "page"
        await page.get_by_label("Sehr groß").check()
        await page.get_by_role("main").get_by_role("button", name="Speichern").click()
        await page.wait_for_load_state()
        assert "font-xlarge" in (await page.get_attribute("html", "class"))
        title = await _assistant_offers(web_platform.gateway)  # cards on Einsätze: they must fit too
        await tabs.get_by_role("link", name="Einsätze").click()
        await page.get_by_role("heading", name=title).first.wait_for()
        await page.get_by_role(
            "button", name=re.compile(f"^Chat öffnen – {title} \\(Angebot \\d+\\)$")
        ).first.wait_for()
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"Einsätze scrolls sideways at 360 px and font size Sehr groß ({width})"
        await assert_accessible(page)
        await tabs.get_by_role("link", name="Übersicht").click()
        await page.wait_for_url("**/assistenz")
        box = await tabs.bounding_box()  # the bar itself still fits the phone at the largest font
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert await tabs.evaluate("n => n.scrollWidth <= n.clientWidth")
        await assert_accessible(page)
        await page.set_viewport_size({"width": 1280, "height": 800})
        assert not await tabs.is_visible()  # wide screens keep the header navigation only


WRITES = [  # every back office, coordinator and facility action, as POST with a valid CSRF token
    "/verwaltung/konten/x/schritte",
    "/verwaltung/konten/x/freischalten",
    "/verwaltung/konten/x/ablehnen",
    "/verwaltung/konten/x/sperren",
    "/verwaltung/konten/x/entsperren",
    "/verwaltung/konten/x/loeschen",
    "/verwaltung/konten/x/wiederherstellen",
    "/verwaltung/organisationen",
    "/koordination/anfragen/x/y/vorschlag",
    "/koordination/assistenz/x/schritte",
    "/koordination/vertraege/x/termine",
    "/koordination/vertraege/x/treffen",
    "/koordination/vertraege/x/entwurf",
    "/koordination/vertraege/x/ratifizieren",
    "/koordination/vertraege/x/stunden/y",
    "/anmeldungen/x/einladung",
    "/anmeldungen/x/entscheidung",
    "/anmeldungen/x/angebot",
    "/anmeldungen/x/nachweis-anfordern",
    "/anmeldungen/x/ratifizieren",
    "/anmeldungen/x/notfallkontakte",
    "/anmeldungen/x/abholberechtigte",
]
READS = [
    "/verwaltung",
    "/verwaltung/konten",
    "/verwaltung/konten/x",
    "/verwaltung/konten/x/auskunft",
    "/verwaltung/konten/x/auskunft.json",
    "/verwaltung/konten/x/verlauf.csv",
    "/verwaltung/organisationen",
    "/koordination/vertraege",
    "/koordination/abrechnung.csv?payer=private&month=2026-11",
    "/einrichtung",
    "/anmeldungen/x/betreuung",
    "/anmeldungen/x/abholberechtigte/y/foto",
]


async def test_other_roles_are_refused_every_back_office_page_and_action(web_platform, chromium, demo_admin, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *ASSISTANT)
        token = await page.locator("input[name=csrf_token]").first.get_attribute("value")
        for path in READS:
            assert (await page.request.get(path)).status == 403, path
        for path in WRITES:
            response = await page.request.post(path, form={"csrf_token": token}, max_redirects=0)
            assert response.status == 403, path
