"""Changing a client and one's own profile in Chromium (issue 15, web pages): a counselor changes the
master data (a wrong postcode refused at the field) and sets the primary counselor by keyboard; the
centre admin writes a direct message (empty fields named); the counselor fills in the profile
(internal and external data) and uploads and deletes the photo. axe on every page, 360 px."""

from __future__ import annotations

import subprocess
import sys

import pytest
from browser_support import assert_accessible, checked_page, sign_in, tab_to
from counseling_web_support import CENTRE_ADMIN, COUNSELOR, demo_workspace
from platform_support import ROOT

from teilhabe_kit.testing import sample_image

PHONE = {"width": 360, "height": 740}
DEMO_CENTRE_NAME = "Beratungszentrum Göttingen (Demo)"


@pytest.fixture(scope="module")
async def workspace(web_platform) -> dict[str, str]:
    for loader in ("identity.demo", "centres.demo"):
        subprocess.run([sys.executable, "-m", loader], cwd=ROOT, check=True, capture_output=True, timeout=180)
    return await demo_workspace(web_platform.gateway)


async def _as_staff(page, login: tuple[str, str]) -> None:
    await sign_in(page, *login)
    await page.goto("/beratungsstelle/wechseln")
    await page.get_by_label(DEMO_CENTRE_NAME).check()
    await page.get_by_role("main").get_by_role("button", name="Wechseln").click()
    await page.wait_for_load_state()


async def _fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def test_counselor_changes_master_data_and_primary_counselor(web_platform, chromium, workspace, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await _as_staff(page, COUNSELOR)
        await page.goto(f"/beratungsstelle/ratsuchende/{workspace['client_id']}")
        await page.get_by_role("heading", level=1, name=workspace["pseudonym"]).wait_for()
        await page.get_by_text("Stammdaten ändern").click()
        await assert_accessible(page)
        await _fits(page)
        await page.get_by_label("Geschlecht").select_option(value="diverse")
        await page.get_by_label("Haushalt").select_option(value="single_parent")
        await page.get_by_label("Postleitzahl").fill("3715")
        await page.get_by_role("button", name="Stammdaten speichern").click()
        await page.locator("#postcode[aria-invalid=true]").wait_for()  # refused at the field, form stays open
        await assert_accessible(page)
        await page.get_by_label("Postleitzahl").fill("37154")
        await page.get_by_label("Sprachen").fill("de, tr")
        await page.get_by_label("Schulden").check()
        await page.get_by_role("button", name="Stammdaten speichern").click()
        await page.get_by_role("status").filter(has_text="Die Stammdaten sind gespeichert.").wait_for()
        summary = await page.locator("dl.summary").inner_text()
        assert "37154" in summary and "Schulden, unter 25" in summary and "alleinerziehend" in summary

        options = await page.locator("#counselor_id option").all_inner_texts()
        assert options[0] == "niemand (keine Stammberatung)"
        await page.get_by_label("Stammberater:in festlegen").select_option(index=0)
        await tab_to(page, "Stammberatung speichern")  # by keyboard
        await page.keyboard.press("Enter")
        await page.get_by_role("status").filter(has_text="Die Stammberatung ist gespeichert.").wait_for()
        assert "niemand" in await page.locator("dl.summary").inner_text()
        await assert_accessible(page)
        await _fits(page)
        assert await page.get_by_role("heading", name="Direkt-Nachrichten").count() == 0, "admins only"


async def test_centre_admin_writes_a_direct_message(web_platform, chromium, workspace, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await _as_staff(page, CENTRE_ADMIN)
        await page.goto(f"/beratungsstelle/ratsuchende/{workspace['client_id']}")
        await page.get_by_role("heading", name="Direkt-Nachrichten").wait_for()
        await page.get_by_role("button", name="Nachricht senden").click()
        for field in ("message_subject", "message_body"):
            await page.locator(f"#{field}[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Betreff").fill("Ihr Termin")
        await page.locator("#message_body").fill("Bitte bringen Sie Ihre Unterlagen mit.")
        await page.get_by_role("button", name="Nachricht senden").click()
        await page.get_by_role("status").filter(has_text="Die Nachricht ist gesendet.").wait_for()
        assert "Bitte bringen Sie Ihre Unterlagen mit." in await page.locator("#messages").inner_text()
        await assert_accessible(page)
        await _fits(page)


async def test_counselor_fills_in_the_profile_and_changes_the_photo(
    web_platform, chromium, workspace, request, tmp_path
):
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await _as_staff(page, COUNSELOR)
        await page.goto("/beratungsstelle/ratsuchende")
        await page.locator("nav.subnav").get_by_role("link", name="Mein Profil").click()
        await page.get_by_role("heading", level=1, name="Mein Profil").wait_for()
        await assert_accessible(page)
        await _fits(page)
        await page.get_by_label("Benutzername (für Ratsuchende sichtbar)").fill("")
        await page.get_by_role("button", name="Profil speichern").click()
        await page.locator("#display_name[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Benutzername (für Ratsuchende sichtbar)").fill("Bela (Beratung)")
        await page.get_by_label("Beschreibung").fill("Ich berate zu Schulden und Wohnen.")
        await page.get_by_label("Vorname").fill("Bela")
        await page.get_by_label("Nachname").fill("Beispiel")
        await page.get_by_role("button", name="Profil speichern").click()
        await page.get_by_role("status").filter(has_text="Ihr Profil ist gespeichert.").wait_for()
        assert await page.get_by_label("Nachname").input_value() == "Beispiel"

        wrong = tmp_path / "bild.png"
        wrong.write_bytes(b"<html><script>alert(1)</script></html>")
        await page.locator("#photo").set_input_files(str(wrong))
        await page.get_by_role("button", name="Bild hochladen").click()
        await page.locator("#photo[aria-invalid=true]").wait_for()  # not an image: refused at the field
        await assert_accessible(page)
        photo = tmp_path / "foto.png"
        photo.write_bytes(sample_image("PNG"))
        await page.locator("#photo").set_input_files(str(photo))
        await page.get_by_role("button", name="Bild hochladen").click()
        await page.get_by_role("status").filter(has_text="Ihr Profilbild ist gespeichert.").wait_for()
        image = page.get_by_role("img", name="Ihr Profilbild")
        await image.wait_for()
        assert await image.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo loads"
        await assert_accessible(page)
        await _fits(page)
        await page.get_by_role("button", name="Bild löschen").click()
        await page.get_by_role("status").filter(has_text="Ihr Profilbild ist gelöscht.").wait_for()
        await page.get_by_text("Noch kein Profilbild.").wait_for()
