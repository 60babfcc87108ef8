"""The counselors' and centre admins' workspace in Chromium (issue 15, web pages): the client list
with search, filters, the bookmark list and the "Nicht gefunden? Filter prüfen" state (keyboard
only), a new client with the initial password shown once, the client page with a note and a case
record (refusals at the fields), groups, the admin's statistics (table and an SVG chart with a title)
with the CSV for Excel, and the settings. axe on every page, 360 px, other roles refused."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from datetime import date

import pytest
from browser_support import assert_accessible, checked_page, sign_in, tab_to
from counseling_web_support import CENTRE_ADMIN, COUNSELOR, demo_workspace
from platform_support import ROOT

PHONE = {"width": 360, "height": 740}
SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
DEMO_CENTRE_NAME = "Beratungszentrum Göttingen (Demo)"


@pytest.fixture(scope="module")
async def workspace(web_platform) -> dict[str, str]:
    for loader in ("identity.demo", "centres.demo"):
        subprocess.run([sys.executable, "-m", loader], cwd=ROOT, check=True, capture_output=True, timeout=180)
    return await demo_workspace(web_platform.gateway)


async def _as_staff(page, login: tuple[str, str]) -> None:
    """Signed in, acting for the demo centre (a person may work for more than one)."""
    await sign_in(page, *login)
    await page.goto("/beratungsstelle/wechseln")
    await page.get_by_label(DEMO_CENTRE_NAME).check()
    await page.get_by_role("main").get_by_role("button", name="Wechseln").click()
    await page.wait_for_load_state()


async def _fits(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def test_counselor_finds_a_client_and_records_a_note_and_a_contact(web_platform, chromium, workspace, request):
    pseudonym = workspace["pseudonym"]
    async with checked_page(chromium, web_platform.gateway, request.node.name, viewport=PHONE) as page:
        await _as_staff(page, COUNSELOR)
        await page.goto("/beratungsstelle/ratsuchende")
        await page.get_by_role("heading", level=1, name="Ratsuchende").wait_for()
        await assert_accessible(page)
        await _fits(page)
        keyboard = page.keyboard  # search by keyboard alone
        await tab_to(page, "Pseudonym (oder ein Teil davon)")
        await keyboard.type(workspace["tag"])
        await tab_to(page, "meine Merkliste")
        await keyboard.press("Space")
        await tab_to(page, "unter 25")
        await keyboard.press("Space")
        await tab_to(page, "Suchen")
        await keyboard.press("Enter")
        await page.get_by_role("heading", name="1 Ratsuchende gefunden").wait_for()
        await assert_accessible(page)
        await page.goto(f"/beratungsstelle/ratsuchende?q={workspace['tag']}&filter=schulden")
        await page.get_by_text("Nicht gefunden? Filter prüfen").wait_for()
        await assert_accessible(page)

        await page.goto(f"/beratungsstelle/ratsuchende?q={workspace['tag']}")
        await page.get_by_role("link", name=pseudonym).click()
        await page.get_by_role("heading", level=1, name=pseudonym).wait_for()
        assert "Erstgespräch: Unterlagen mitbringen." in await page.locator("#notes").inner_text()
        assert "Frühstücks-Runde" in await page.locator("main").inner_text()
        await assert_accessible(page)
        await _fits(page)
        await page.get_by_role("button", name="Notiz speichern").click()  # empty: refused at the field
        await page.locator("#note[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Neue Notiz").fill("Telefonat: Termin beim Jobcenter am Montag.")
        await page.get_by_role("button", name="Notiz speichern").click()
        await page.get_by_role("status").filter(has_text="Die Notiz ist gespeichert.").wait_for()
        assert "Termin beim Jobcenter" in await page.locator("#notes").inner_text()

        await page.get_by_role("button", name="Monitoring speichern").click()  # nothing given: each field named
        for field in ("occurred_on", "minutes", "subject", "channel"):
            await page.locator(f"#{field}[aria-invalid=true]").wait_for()
        await page.get_by_text("Geben Sie die Dauer in Minuten ein.").first.wait_for()
        await assert_accessible(page)
        await page.get_by_label("Datum").fill(date.today().isoformat())
        await page.get_by_label("Dauer in Minuten").fill("30")
        await page.get_by_label("Thema").select_option(value="debt")
        await page.get_by_label("Kanal").select_option(value="phone")
        await page.get_by_label("Zugang").select_option(label="Jobcenter")
        await page.get_by_role("button", name="Monitoring speichern").click()
        await page.get_by_role("status").filter(has_text="Das Monitoring ist gespeichert.").wait_for()
        table = await page.get_by_role("table", name="Einträge, neueste zuerst").inner_text()
        assert "Telefon" in table and "30" in table
        await assert_accessible(page)

        await page.goto("/beratungsstelle/ratsuchende")
        new = f"Kompass {uuid.uuid4().hex[:6]}"
        await page.locator("#pseudonym").fill(new)
        await page.get_by_role("button", name="Anlegen").click()
        await page.get_by_role("heading", name="Ratsuchende Person angelegt").wait_for()
        assert len((await page.locator("#initial-password").inner_text()).strip()) >= 10
        await assert_accessible(page)

        await page.goto("/beratungsstelle/gruppen")
        await page.get_by_role("link", name=f"Frühstücks-Runde {workspace['tag']}").click()
        await page.get_by_role("link", name=pseudonym).wait_for()
        await assert_accessible(page)
        await _fits(page)


async def test_centre_admin_sees_statistics_as_table_and_chart_downloads_csv_and_changes_settings(
    web_platform, chromium, workspace, request
):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _as_staff(page, CENTRE_ADMIN)
        await page.goto("/beratungsstelle/statistik")
        await page.get_by_role("heading", level=1, name="Statistik").wait_for()
        chart = page.get_by_role("img", name="Balken-Diagramm: Kontakte je Monat")
        await chart.wait_for()
        month = date.today().strftime("%m")
        assert await page.get_by_role("table", name="Kontakte je Monat").count() == 1  # the table stays
        assert "Schulden" in await page.get_by_role("table", name="Kontakte je Thema").inner_text()
        assert month  # the current month is in the default period (start of the year to now)
        await assert_accessible(page)
        async with page.expect_download() as info:
            await page.get_by_role("link", name="Monitoring des Zeitraums herunterladen (CSV für Excel)").click()
        raw = (await (await info.value).path()).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]  # UTF-8 with BOM, semicolons

        await page.goto("/beratungsstelle/einstellungen-beratung")
        await assert_accessible(page)
        await page.get_by_label("Tage bis zum endgültigen Löschen").fill("-3")
        await page.get_by_role("button", name="Speichern", exact=True).click()
        await page.locator("#deletion[aria-invalid=true]").wait_for()  # counseling's refusal at the field
        await assert_accessible(page)
        criterion = f"Wohnung {uuid.uuid4().hex[:4]}"
        await page.goto("/beratungsstelle/einstellungen-beratung")
        await page.get_by_label("Neues Filterkriterium").fill(criterion)
        await page.get_by_role("button", name="Hinzufügen").first.click()
        await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
        await page.get_by_text(criterion).wait_for()
        await page.get_by_role("button", name=re.compile(f"^Entfernen.*{criterion}")).click()
        await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
        assert await page.get_by_text(criterion).count() == 0


async def test_other_roles_are_refused_the_workspace(web_platform, chromium, workspace, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_counselor") as page:
        await _as_staff(page, COUNSELOR)
        for path in ("/beratungsstelle/statistik", "/beratungsstelle/einstellungen-beratung"):
            response = await page.goto(path)  # admins only
            assert response.status == 403, path
            await assert_accessible(page)
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_seeker") as page:
        await sign_in(page, *SEEKER)
        for path in (
            "/beratungsstelle/ratsuchende",
            f"/beratungsstelle/ratsuchende/{workspace['client_id']}",
            "/beratungsstelle/gruppen",
            "/beratungsstelle/statistik",
        ):
            response = await page.goto(path)
            assert response.status == 403, path
