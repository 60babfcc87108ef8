"""Customer service in Chromium: an assistant registers, customer service (the demo admin) finds
them in the verification queue, records every step with a reason (a missing reason is refused at
the field), activates them, opens the data access view and downloads it, locks/unlocks and marks
for deletion/restores the account, and creates an organisation. Other roles are refused. axe runs
on every page visited, the back office pages reflow at 320 px."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid

import pytest
from browser_support import assert_accessible, checked_page

from platform_support import ROOT

ADMIN = ("admin@demo.teilhabe.de", "Demo-Admin-2026!")
PASSWORD = "Sonnenblume-Teilhabe-7"


@pytest.fixture(scope="module")
def demo_admin(web_platform):
    """identity's demo loader (idempotent) gives customer service a password to sign in with."""
    subprocess.run([sys.executable, "-m", "identity.demo"], cwd=ROOT, check=True, capture_output=True, timeout=60)
    return ADMIN


async def _login(page, login: str, password: str) -> None:
    await page.goto("/anmelden")
    await page.get_by_label("E-Mail-Adresse oder Telefon-Nummer").fill(login)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    await page.wait_for_load_state()


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
        web_platform, chromium, demo_admin, request):
    tag = uuid.uuid4().hex[:8]
    name, email = f"Bea Prüfling {tag}", f"pruefling-{tag}@example.org"
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_register") as page:
        await _register_assistant(page, name, email)
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, *demo_admin)
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
        await page.get_by_text("Erweitertes Führungszeugnis – Erweitertes Führungszeugnis: im Original gesehen").wait_for()
        await assert_accessible(page)
        async with page.expect_download() as info:
            await page.get_by_role("link", name="Als Datei herunterladen (JSON)").click()
        export = json.loads((await (await info.value).path()).read_text())
        assert {s["step"] for s in export["verification_steps"]} >= {"police_certificate", "self_employment_proof"}

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
        await _login(page, email, PASSWORD)  # the activated assistant: no back office
        for path in ("/verwaltung", "/verwaltung/konten", "/verwaltung/organisationen"):
            response = await page.goto(path)
            assert response.status == 403, path
            await assert_accessible(page)


async def test_back_office_reflows_at_320_px(web_platform, chromium, demo_admin, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name,
                            viewport={"width": 320, "height": 640}) as page:
        await _login(page, *demo_admin)
        for path in ("/verwaltung", "/verwaltung/konten", "/verwaltung/organisationen"):
            await page.goto(path)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320 px ({width})"
