"""The client's (Ratsuchende) own account in Chromium (issue 15, web pages): a counselor of the demo
centre opens an account with a pseudonym (initial password shown once); the person signs in by
keyboard alone on the centre's sign-in page, must choose an own password first, sets a notification
address and channel, and deletes the account (refused without confirmation; sign-in refused after).
axe on every page, 360 px without sideways scrolling, other roles refused."""

from __future__ import annotations

import subprocess
import sys
import uuid

import httpx
import pytest
from browser_support import assert_accessible, checked_page, sign_in, tab_to
from platform_support import ROOT

DEMO_CENTRE = "5e1c0000-de00-4000-8000-000000000001"
COUNSELOR = ("bela@demo.teilhabe.de", "Demo-Beratung-2026!")
SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
NEW_PASSWORD = "Mein eigenes Passwort 2026"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def demo(web_platform):
    for loader in ("identity.demo", "centres.demo"):
        subprocess.run([sys.executable, "-m", loader], cwd=ROOT, check=True, capture_output=True, timeout=180)


async def _client_opened_by_a_counselor(gateway: str) -> tuple[str, str]:
    """The demo counselor, acting for the demo centre, opens an account; (pseudonym, initial password)."""
    pseudonym = f"Sonnenblume {uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(base_url=gateway, timeout=15) as api:
        login = await api.post("/api/v1/identity/auth/login", json={"login": COUNSELOR[0], "password": COUNSELOR[1]})
        login.raise_for_status()
        switched = await api.post(
            "/api/v1/identity/auth/centre",
            json={"refresh_token": login.json()["refresh_token"], "centre_id": DEMO_CENTRE},
        )
        switched.raise_for_status()
        opened = await api.post(
            f"/api/v1/identity/centres/{DEMO_CENTRE}/clients",
            headers={"Authorization": f"Bearer {switched.json()['access_token']}"},
            json={"pseudonym": pseudonym},
        )
        assert opened.status_code == 201, opened.text
    return pseudonym, opened.json()["initial_password"]


async def _fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def test_a_client_changes_the_initial_password_sets_contact_and_deletes_the_account(
    web_platform, chromium, demo, request
):
    pseudonym, initial = await _client_opened_by_a_counselor(web_platform.gateway)
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await page.goto(f"/beratung/{DEMO_CENTRE}")
        await page.get_by_role("link", name="Mit Ihrem Pseudonym anmelden").click()
        await page.wait_for_url(f"**/beratung/{DEMO_CENTRE}/anmelden")
        await assert_accessible(page)
        await _fits(page)
        keyboard = page.keyboard  # keyboard only from here
        await tab_to(page, "Pseudonym")
        await keyboard.type(pseudonym)
        await tab_to(page, "Passwort")
        await keyboard.type("falsch-falsch-falsch")
        await keyboard.press("Enter")
        await page.locator("#pseudonym[aria-invalid=true]").wait_for()  # refused at the field
        await assert_accessible(page)
        await page.locator("#password").focus()  # the error summary's link says "Passwort" too
        await keyboard.type(initial)
        await keyboard.press("Enter")
        await page.wait_for_url("**/mein-beratungskonto/passwort")
        await page.get_by_text("Bitte legen Sie jetzt ein eigenes Passwort fest.").wait_for()
        await assert_accessible(page)
        await _fits(page)
        await tab_to(page, "Bisheriges Passwort")
        await keyboard.type(initial)
        await tab_to(page, "Neues Passwort")
        await keyboard.type(NEW_PASSWORD)
        await tab_to(page, "Neues Passwort wiederholen")
        await keyboard.type(NEW_PASSWORD + "!")
        await keyboard.press("Enter")
        await page.locator("#repeat_password[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.locator("#current_password").fill(initial)
        await page.locator("#new_password").fill(NEW_PASSWORD)
        await page.locator("#repeat_password").fill(NEW_PASSWORD)
        await tab_to(page, "Passwort ändern")
        await keyboard.press("Enter")
        await page.wait_for_url("**/mein-beratungskonto")
        await page.get_by_role("status").filter(has_text="Ihr Passwort ist geändert.").wait_for()
        await page.get_by_text(f"Sie sind angemeldet als „{pseudonym}“.").wait_for()
        await assert_accessible(page)
        await _fits(page)

        await tab_to(page, "Wie wir Sie benachrichtigen")
        await keyboard.press("Enter")
        await page.wait_for_url("**/mein-beratungskonto/benachrichtigungen")
        await assert_accessible(page)
        await _fits(page)
        await page.get_by_label("E-Mail-Adresse (freiwillig)").fill("kein-e-mail")
        await page.get_by_role("button", name="Speichern").click()
        await page.locator("#email[aria-invalid=true]").wait_for()  # identity's refusal at the field
        await assert_accessible(page)
        email = f"{uuid.uuid4().hex[:8]}@example.org"
        await page.get_by_label("E-Mail-Adresse (freiwillig)").fill(email)
        await page.get_by_label("per E-Mail").check()
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_role("status").filter(has_text="Ihre Angaben sind gespeichert.").wait_for()
        await page.goto("/mein-beratungskonto/benachrichtigungen")
        assert await page.get_by_label("E-Mail-Adresse (freiwillig)").input_value() == email
        assert await page.get_by_label("per E-Mail").is_checked()
        assert not await page.get_by_label("per SMS").is_checked()

        await page.goto("/mein-beratungskonto/loeschen")
        await assert_accessible(page)
        await _fits(page)
        await page.get_by_role("button", name="Konto löschen").click()  # not confirmed: refused
        await page.locator("#confirm[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Ja, ich möchte mein Konto löschen.").check()
        await page.get_by_role("button", name="Konto löschen").click()
        await page.get_by_role("heading", name="Ihr Konto wird gelöscht").wait_for()
        await assert_accessible(page)
        await page.goto("/mein-beratungskonto")
        assert "/anmelden" in page.url  # signed out

    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=15) as api:
        refused = await api.post(
            "/api/v1/identity/auth/client-login",
            json={"centre_id": DEMO_CENTRE, "pseudonym": pseudonym, "password": NEW_PASSWORD},
        )
        assert refused.status_code in (401, 403), refused.text


async def test_other_roles_are_refused_the_client_pages(web_platform, chromium, demo, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        for path in ("/mein-beratungskonto", "/mein-beratungskonto/passwort", "/mein-beratungskonto/loeschen"):
            await page.goto(path)
            assert "/anmelden" in page.url, path  # nobody signed in: to the sign-in
        await sign_in(page, *SEEKER)
        for path in (
            "/mein-beratungskonto",
            "/mein-beratungskonto/benachrichtigungen",
            "/mein-beratungskonto/loeschen",
        ):
            response = await page.goto(path)
            assert response.status == 403, path
            await assert_accessible(page)
