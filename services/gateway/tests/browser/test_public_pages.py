"""Pages everyone sees, in a real browser: axe at WCAG 2.1 AA, language switch, font size, reflow,
errors tied to their fields (also identity's refusals in the wizard), skip link, PWA offline page."""

from __future__ import annotations

import re
import uuid

from browser_support import assert_accessible, checked_page

PAGES = [
    "/",
    "/leichte-sprache",
    "/finanzierung",
    "/anmelden",
    "/einstellungen",
    "/registrieren",
    "/assistenz/registrieren",
    "/offline",
    "/passwort",
    "/passwort-neu?token=x",
]


async def test_public_pages_have_no_axe_violations(web_platform, chromium, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        for path in PAGES:
            response = await page.goto(path)
            assert response.status == 200, path
            assert await page.get_attribute("html", "lang") == "de"
            await assert_accessible(page)
        await page.goto("/")
        await page.get_by_role("button", name="English").click()
        for path in [p for p in PAGES if p != "/offline"]:  # the same pages in English (offline: cached, German)
            await page.goto(path)
            assert await page.get_attribute("html", "lang") == "en"
            await assert_accessible(page)


async def test_reflow_at_320_px_and_200_percent(web_platform, chromium, request):
    async with checked_page(
        chromium, web_platform.gateway, request.node.name, viewport={"width": 320, "height": 640}
    ) as page:
        for path in ["/", "/registrieren/ueber-sie", "/assistenz/registrieren"]:
            await page.goto(path)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways at 320 px ({width})"
    # 200 % zoom of a 1280 px window is a 640 px layout viewport
    async with checked_page(
        chromium,
        web_platform.gateway,
        request.node.name + "_zoom",
        viewport={"width": 640, "height": 480},
        device_scale_factor=2,
    ) as page:
        await page.goto("/")
        assert await page.evaluate("document.documentElement.scrollWidth") <= 640


async def test_english_switch_and_font_size(web_platform, chromium, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await page.goto("/leichte-sprache")
        await page.get_by_role("button", name="English").click()
        await page.wait_for_url("**/leichte-sprache")
        assert await page.get_attribute("html", "lang") == "en"
        assert await page.get_by_role("heading", level=1).inner_text() == "Easy-to-read: what is this website?"
        await assert_accessible(page)
        await page.goto("/einstellungen")
        await page.get_by_label("Very large").check()
        await page.get_by_label("Deutsch").check()
        await page.get_by_role("button", name="Save").click()
        assert await page.get_attribute("html", "class") == "font-xlarge"
        assert await page.get_attribute("html", "lang") == "de"
        assert await page.locator("#status").inner_text() == "Gespeichert."
        await assert_accessible(page)


async def test_login_errors_are_tied_to_fields(web_platform, chromium, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await page.goto("/anmelden")
        await page.get_by_role("button", name="Anmelden").last.click()
        summary = page.get_by_role("alert")
        assert "Bitte prüfen Sie Ihre Angaben" in await summary.inner_text()
        email = page.get_by_label("E-Mail-Adresse oder Telefon-Nummer")
        assert await email.get_attribute("aria-invalid") == "true"
        described = await email.get_attribute("aria-describedby")
        assert (
            "Geben Sie Ihre E-Mail-Adresse oder Telefon-Nummer ein." in await page.locator(f"#{described}").inner_text()
        )
        assert await page.evaluate("document.activeElement.id") == "error-summary"
        await assert_accessible(page)


async def test_skip_link_is_first_and_moves_focus_to_main(web_platform, chromium, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await page.goto("/")
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"
        outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline == "solid"  # visible focus
        await page.keyboard.press("Enter")
        assert await page.evaluate("document.activeElement.id") == "main"


async def test_installable_pwa_with_offline_page_and_no_cached_pages(web_platform, chromium, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await page.goto("/")
        manifest = await page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
        assert (manifest["lang"], manifest["display"], manifest["start_url"]) == ("de", "standalone", "/")
        await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        await page.reload()
        await page.wait_for_function("navigator.serviceWorker.controller !== null")
        await page.goto("/einstellungen")
        cached = await page.evaluate(
            "caches.open('teilhabe-shell-v2').then(c => c.keys()).then(ks => ks.map(r => new URL(r.url).pathname))"
        )
        assert cached and all(p == "/offline" or p.startswith("/static/") for p in cached), cached
        await page.context.set_offline(True)
        await page.goto("/anmelden")
        await page.get_by_role("heading", name="Keine Verbindung").wait_for()
        await page.context.set_offline(False)


async def test_identity_refusal_brings_the_wizard_back_to_the_field(web_platform, chromium, request):
    """A postcode identity does not know: after the last step the person is back at "Über Sie"
    with the message tied to the postcode field, and nothing is registered."""
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await page.goto("/registrieren/ueber-sie")
        await page.get_by_label("Vor- und Nachname").fill("Paula Probe")
        await page.get_by_label("E-Mail-Adresse").fill(f"probe-{uuid.uuid4().hex[:8]}@example.org")
        await page.get_by_label("Postleitzahl").fill("00001")
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_label("Einkaufen").check()
        await page.get_by_role("button", name="Weiter").click()
        await page.locator("#times-from-1").fill("9")
        await page.locator("#times-to-1").fill("12")
        await page.get_by_role("button", name="Weiter").click()
        await page.locator("#password").fill("Sonnenblume-Teilhabe-7")
        await page.locator("#password_repeat").fill("Sonnenblume-Teilhabe-7")
        await page.get_by_role("button", name="Weiter").click()
        assert "Dienstag 09:00–12:00" in await page.locator("dl.summary").inner_text()
        await page.get_by_role("button", name="Weiter").click()
        for consent in ("Datenschutz", "Widerrufs", "Geschäfts", "Bearbeitung"):
            await page.get_by_label(re.compile(consent)).check()
        await page.get_by_role("button", name="Registrierung abschließen").click()
        postcode = page.get_by_label("Postleitzahl")
        await page.get_by_role("heading", name=re.compile("Über Sie")).wait_for()
        assert await postcode.get_attribute("aria-invalid") == "true"
        assert "Postleitzahl kennen wir nicht" in await page.get_by_role("alert").inner_text()
        await assert_accessible(page)
