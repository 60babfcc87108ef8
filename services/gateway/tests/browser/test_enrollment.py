"""Enrollment in Chromium: a facility's public offers ("Angebote"), an interested person's
registration (empty fields refused at the field), the demo seeker's "Mein Konto" with the status
and what is missing, the PDF, and the facility staff's list. axe on every page visited."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, timedelta

import httpx
import pytest
from browser_support import assert_accessible, checked_page

from platform_support import ROOT

SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
STAFF = ("fenja@demo.teilhabe.de", "Demo-Einrichtung-2026!")
API = "/api/v1/contracts"


@pytest.fixture(scope="module")
def demo(web_platform):
    subprocess.run([sys.executable, "-m", "identity.demo"], cwd=ROOT, check=True, capture_output=True, timeout=60)


async def _token(api, login: str, password: str) -> dict[str, str]:
    response = await api.post("/api/v1/identity/auth/login", json={"login": login, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _login(page, login: str, password: str) -> None:
    await page.goto("/anmelden")
    await page.get_by_label("E-Mail-Adresse oder Telefon-Nummer").fill(login)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    await page.wait_for_load_state()


async def _offer(base_url: str, title: str) -> tuple[str, str]:
    """The demo facility publishes an offer; returns it and the facility."""
    start = date.today() + timedelta(days=60)
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        response = await api.post(f"{API}/facility-offers", headers=await _token(api, *STAFF), json={
            "title": title, "description": "Betreuung am Nachmittag mit Mittagessen.",
            "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=365)).isoformat(), "capacity": 12,
            "fee_rules": {"highest_fee_cents": 24000, "brackets": [{"up_to_income_cents": 300000, "monthly_fee_cents": 9000}]}})
        response.raise_for_status()
        me = (await api.get("/api/v1/identity/me", headers=await _token(api, *STAFF))).json()
        return response.json()["offer_id"], me["organisation_id"]


async def test_offers_registration_my_account_and_facility_list(web_platform, chromium, demo, request):
    title = f"Nachmittags-Gruppe {uuid.uuid4().hex[:6]}"
    offer_id, facility_id = await _offer(web_platform.gateway, title)
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_public") as page:
        await page.goto("/angebote")
        await assert_accessible(page)
        await page.goto(f"/angebote?einrichtung={facility_id}")  # the facility's homepage links here
        await page.locator("li.card").filter(has_text=title).get_by_role("link").click()
        await page.get_by_role("heading", name=title).wait_for()
        await assert_accessible(page)
        await page.get_by_role("button", name="Interesse anmelden").click()
        await page.locator("#first_name[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.locator("#first_name").fill("Paula")
        await page.locator("#last_name").fill("Probe")
        await page.locator("#email").fill(f"paula-{uuid.uuid4().hex[:6]}@example.org")
        await page.get_by_role("button", name="Interesse anmelden").click()
        await page.get_by_role("status").filter(has_text="Danke!").wait_for()
        await assert_accessible(page)

    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=15) as api:
        response = await api.post(f"{API}/enrollments", headers=await _token(api, *SEEKER), json={
            "offer_id": offer_id, "participant": {"first_name": "Erika", "last_name": "Beispiel",
                                                  "birth_date": "1960-04-01", "street": "Marktplatz 1",
                                                  "postcode": "37154", "city": "Northeim"},
            "applicant": {"first_name": "Erika", "last_name": "Beispiel", "email": SEEKER[0]}})
        response.raise_for_status()
        enrollment_id = response.json()["enrollment_id"]
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await _login(page, *SEEKER)
        await page.get_by_role("link", name="Mein Konto").click()
        await page.get_by_role("heading", name="Ihre Anmeldungen").wait_for()
        assert "Anmeldung prüfen und absenden." in await page.locator("main").inner_text()
        await assert_accessible(page)
        pdf = await page.request.get(await page.get_by_role("link", name="Anmeldung als PDF").first.get_attribute("href"))
        assert pdf.status == 200 and (await pdf.body()).startswith(b"%PDF")
        assert (await page.goto("/einrichtung")).status == 403
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_staff") as page:
        await _login(page, *STAFF)
        await page.wait_for_url("**/einrichtung")
        await page.get_by_label("Status").select_option(label="Interessent")
        await page.get_by_role("button", name="Filtern").click()
        await page.get_by_role("heading", name="Anmeldungen Ihrer Einrichtung").wait_for()
        assert await page.locator("main li.card").count() >= 1
        await assert_accessible(page)
        assert (await page.goto("/mein-konto")).status == 403
    await _through_every_status(chromium, web_platform.gateway, enrollment_id, request.node.name)


async def _step(page, button: str, status: str) -> None:
    await page.get_by_role("button", name=button).click()
    await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
    assert f"Status: {status}" in await page.locator("main").inner_text(), status
    await assert_accessible(page)


async def _through_every_status(chromium, base_url: str, enrollment_id: str, name: str) -> None:
    """Interessent → Bewerber → Eingeladen → Kandidat → Eingestuft → Angebot → Angenommen (the
    signed scan uploaded) → Ratifiziert, each party on their own page."""
    interview = date.today() + timedelta(days=5)
    start = date.today() + timedelta(days=60)
    async with checked_page(chromium, base_url, name + "_applicant") as applicant, \
            checked_page(chromium, base_url, name + "_facility") as staff:
        await _login(applicant, *SEEKER)
        await _login(staff, *STAFF)
        detail = f"/anmeldungen/{enrollment_id}"
        await applicant.goto(detail)
        await assert_accessible(applicant)
        await _step(applicant, "Anmeldung absenden", "Bewerber")
        await staff.goto(detail)
        await assert_accessible(staff)
        await staff.get_by_role("button", name="Zum Gespräch einladen").click()  # no date: refused
        await staff.locator("#interview_day[aria-invalid=true]").wait_for()
        await staff.get_by_label("Tag des Gesprächs").fill(interview.isoformat())
        await staff.get_by_label("Uhrzeit des Gesprächs").fill("10:00")
        await _step(staff, "Zum Gespräch einladen", "Eingeladen")
        await _step(staff, "Als Kandidat aufnehmen", "Kandidat")
        await applicant.goto(detail)
        await applicant.get_by_label("Jahres-Einkommen des Haushalts in Euro").fill("28000")
        await _step(applicant, "Einkommen speichern", "Kandidat")
        await _step(applicant, "Anmeldung absenden", "Eingestuft")
        await staff.goto(detail)
        await staff.get_by_label("Beginn").fill(start.isoformat())
        await staff.get_by_label("Ende (optional)").fill((start + timedelta(days=300)).isoformat())
        await staff.get_by_label("Antwort bis").fill((date.today() + timedelta(days=14)).isoformat())
        await _step(staff, "Angebot senden", "Angebot")
        await applicant.goto(detail)
        assert "Unterschriebenen Vertrag bis" in await applicant.locator("main").inner_text()
        offer_pdf = await (await applicant.request.get(f"/anmeldungen/{enrollment_id}/angebot.pdf")).body()
        assert offer_pdf.startswith(b"%PDF")
        await applicant.get_by_label("Datei").set_input_files(
            {"name": "angebot-unterschrieben.pdf", "mimeType": "application/pdf", "buffer": offer_pdf})
        await _step(applicant, "Hochladen", "Angenommen")
        await staff.goto(detail)
        await _step(staff, "Vertrag gegenzeichnen (ratifizieren)", "Ratifiziert")
