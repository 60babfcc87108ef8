"""Enrollment in Chromium: a facility's public offers ("Angebote"), an interested person's
registration (empty fields refused at the field), the demo seeker's "Mein Konto" with the status
and what is missing, the PDF, and the facility staff's list; the demo guardian enters emergency
contacts and a pick-up person with a photo for her child, the facility sees them, another guardian
is refused, then she removes the person again. axe on every page visited."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import jwt
import pytest
from browser_support import api_token, assert_accessible, checked_page, sign_in
from platform_support import ROOT, admin_token

from teilhabe_kit.testing import sample_image

SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
STAFF = ("fenja@demo.teilhabe.de", "Demo-Einrichtung-2026!")
API = "/api/v1/contracts"


@pytest.fixture(scope="module")
def demo(web_platform):
    subprocess.run([sys.executable, "-m", "identity.demo"], cwd=ROOT, check=True, capture_output=True, timeout=60)


async def _offer(base_url: str, title: str) -> tuple[str, str]:
    """The demo facility publishes an offer; returns it and the facility."""
    start = date.today() + timedelta(days=60)
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        response = await api.post(
            f"{API}/facility-offers",
            headers=await api_token(api, *STAFF),
            json={
                "title": title,
                "description": "Betreuung am Nachmittag mit Mittagessen.",
                "starts_on": start.isoformat(),
                "ends_on": (start + timedelta(days=365)).isoformat(),
                "capacity": 12,
                "fee_rules": {
                    "highest_fee_cents": 24000,
                    "brackets": [{"up_to_income_cents": 300000, "monthly_fee_cents": 9000}],
                },
            },
        )
        response.raise_for_status()
        me = (await api.get("/api/v1/identity/me", headers=await api_token(api, *STAFF))).json()
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
        response = await api.post(
            f"{API}/enrollments",
            headers=await api_token(api, *SEEKER),
            json={
                "offer_id": offer_id,
                "participant": {
                    "first_name": "Erika",
                    "last_name": "Beispiel",
                    "birth_date": "1960-04-01",
                    "street": "Marktplatz 1",
                    "postcode": "37154",
                    "city": "Northeim",
                },
                "applicant": {"first_name": "Erika", "last_name": "Beispiel", "email": SEEKER[0]},
            },
        )
        response.raise_for_status()
        enrollment_id = response.json()["enrollment_id"]
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *SEEKER)
        await page.get_by_role("link", name="Mein Konto").click()
        await page.get_by_role("heading", name="Ihre Anmeldungen").wait_for()
        assert "Anmeldung prüfen und absenden." in await page.locator("main").inner_text()
        await assert_accessible(page)
        pdf = await page.request.get(
            await page.get_by_role("link", name="Anmeldung als PDF").first.get_attribute("href")
        )
        assert pdf.status == 200 and (await pdf.body()).startswith(b"%PDF")
        assert (await page.goto("/einrichtung")).status == 403
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_staff") as page:
        await sign_in(page, *STAFF)
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
    async with (
        checked_page(chromium, base_url, name + "_applicant") as applicant,
        checked_page(chromium, base_url, name + "_facility") as staff,
    ):
        await sign_in(applicant, *SEEKER)
        await sign_in(staff, *STAFF)
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
            {"name": "angebot-unterschrieben.pdf", "mimeType": "application/pdf", "buffer": offer_pdf}
        )
        await _step(applicant, "Hochladen", "Angenommen")
        await staff.goto(detail)
        await _step(staff, "Vertrag gegenzeichnen (ratifizieren)", "Vertrag gilt (von der Einrichtung bestätigt)")


GUARDIAN = ("gerda@demo.teilhabe.de", "Demo-Sorge-2026!")
LOADED = """img => img.complete ? img.naturalWidth > 0 :
    new Promise(done => { img.onload = () => done(img.naturalWidth > 0); img.onerror = () => done(false); })"""
PNG = sample_image("PNG", seed=1)  # a passport photo


async def _ward_as_candidate(base_url: str, offer_id: str) -> tuple[str, str]:
    """The demo guardian signs up her child, the facility accepts it as candidate (Kandidat): from
    now on emergency contacts and pick-up persons are due. Returns the enrollment and its number."""
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        guardian, staff = await api_token(api, *GUARDIAN), await api_token(api, *STAFF)
        claims = jwt.decode(guardian["Authorization"].split()[1], options={"verify_signature": False})
        response = await api.post(
            f"{API}/enrollments",
            headers=guardian,
            json={
                "offer_id": offer_id,
                "participant": {
                    "account_id": claims["acting_for"][0],
                    "first_name": "Lina",
                    "last_name": "Sorge",
                    "birth_date": "2016-05-03",
                    "street": "Am Markt 2",
                    "postcode": "37154",
                    "city": "Northeim",
                },
                "applicant": {"first_name": "Gerda", "last_name": "Sorge", "email": GUARDIAN[0]},
            },
        )
        response.raise_for_status()
        enrollment_id, number = response.json()["enrollment_id"], response.json()["contract_number"]
        interview = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
        for who, path, body in (
            (guardian, "/submission", None),
            (staff, "/invitation", {"interview_at": interview}),
            (staff, "/decision", {"accepted": True, "interview": "attended"}),
        ):
            (await api.post(f"{API}/enrollments/{enrollment_id}{path}", headers=who, json=body)).raise_for_status()
    return enrollment_id, number


async def _other_guardian(base_url: str) -> tuple[str, str]:
    """A guardian of another child, created by customer service; the password is set in identity's
    database as the demo loader sets its passwords (the invitation e-mail goes to messaging)."""
    from sqlalchemy import update

    from identity import passwords
    from identity.readmodels.tables import credentials
    from identity.settings import Settings
    from teilhabe_kit.db import create_engine

    login, password = f"fremd-{uuid.uuid4().hex[:8]}@example.org", "Fremde-Sorge-2026!"
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        created = await api.post(
            "/api/v1/identity/staff",
            headers={"Authorization": f"Bearer {admin_token()}"},
            json={"role": "guardian", "name": "Gero Fremd", "email": login},
        )
        created.raise_for_status()
    engine = create_engine(Settings().resolved_database_url())
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(credentials)
                .where(credentials.c.account_id == created.json()["account_id"])
                .values(password_hash=passwords.hash_password(password))
            )
    finally:
        await engine.dispose()
    return login, password


async def test_guardian_enters_emergency_contacts_and_a_pickup_person_the_facility_sees_them(
    web_platform, chromium, demo, request
):
    offer_id, _ = await _offer(web_platform.gateway, f"Hort {uuid.uuid4().hex[:6]}")
    enrollment_id, number = await _ward_as_candidate(web_platform.gateway, offer_id)
    care = f"/anmeldungen/{enrollment_id}/betreuung"
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *GUARDIAN)
        await page.get_by_role("link", name="Mein Konto").click()
        card = page.locator("li.card").filter(has=page.get_by_role("heading", name=f"Anmeldung {number}", exact=True))
        assert "Notfallkontakt eintragen" in await card.inner_text()
        assert "Abholberechtigte Person mit aktuellem Passbild eintragen" in await card.inner_text()
        await assert_accessible(page)
        await card.get_by_role("link", name="Notfallkontakte und Abholberechtigte").click()
        await page.get_by_role("heading", name="Notfallkontakte und Abholberechtigte").wait_for()
        await assert_accessible(page)

        await page.get_by_role("button", name="Notfallkontakte speichern").click()  # nobody given: refused
        await page.locator("#contact_name_0[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.locator("#contact_name_0").fill("Hilde Sorge")
        await page.locator("#contact_phone_0").fill("05551 12345")
        await page.locator("#contact_relation_0").fill("Großmutter")
        await page.locator("#contact_name_1").fill("Nachbarin Kaya")  # incomplete row: refused at its field
        await page.get_by_role("button", name="Notfallkontakte speichern").click()
        await page.locator("#contact_phone_1[aria-invalid=true]").wait_for()
        await page.locator("#contact_name_1").fill("")
        await page.get_by_role("button", name="Notfallkontakte speichern").click()
        await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
        assert "Hilde Sorge" in await page.get_by_role("table").inner_text()

        await page.get_by_label("Vor- und Nachname der abholberechtigten Person").fill("Jörg Sorge")
        await page.get_by_role("button", name="Abholberechtigte Person hinzufügen").click()  # no photo: refused
        await page.locator("#photo[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Aktuelles Passbild").set_input_files(
            {"name": "passbild.png", "mimeType": "image/png", "buffer": PNG}
        )
        await page.get_by_role("button", name="Abholberechtigte Person hinzufügen").click()
        await page.get_by_role("status").filter(has_text="Gespeichert.").wait_for()
        photo = page.get_by_role("img", name="Passbild von Jörg Sorge")
        assert await photo.evaluate(LOADED)
        photo_url = await photo.get_attribute("src")
        await assert_accessible(page)
        await page.get_by_role("link", name="Mein Konto").click()
        text = await card.inner_text()
        assert "Notfallkontakt eintragen" not in text and "Abholberechtigte Person mit" not in text, text

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_staff") as page:
        await sign_in(page, *STAFF)
        await page.goto(f"/anmeldungen/{enrollment_id}")
        await page.get_by_role("link", name="Notfallkontakte und Abholberechtigte").click()
        assert "Hilde Sorge" in await page.get_by_role("table").inner_text()
        assert await page.get_by_role("img", name="Passbild von Jörg Sorge").evaluate(LOADED)
        assert not await page.get_by_role("button", name="Notfallkontakte speichern").count()
        assert not await page.get_by_role("button", name="Entfernen: Jörg Sorge").count()
        await assert_accessible(page)
        shown = await page.request.get(photo_url)
        assert (
            shown.status == 200 and await shown.body() == PNG and shown.headers["cache-control"] == "private, no-store"
        )

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_other") as page:
        await sign_in(page, *await _other_guardian(web_platform.gateway))
        for path in (care, photo_url, f"/anmeldungen/{enrollment_id}"):
            assert (await page.goto(path)).status == 404, path
        await assert_accessible(page)
        token = await page.locator("input[name=csrf_token]").first.get_attribute("value")
        remove = "/abholberechtigte/" + photo_url.split("/")[-2] + "/entfernen"
        for path in ("/notfallkontakte", "/abholberechtigte", remove):
            response = await page.request.post(
                f"/anmeldungen/{enrollment_id}{path}",
                max_redirects=0,
                form={
                    "csrf_token": token,
                    "contact_name_0": "X",
                    "contact_phone_0": "0555 1234",
                    "contact_relation_0": "x",
                },
            )
            assert response.status == 404 and "Hilde" not in await response.text(), path

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_remove") as page:
        await sign_in(page, *GUARDIAN)
        await page.goto(care)
        await page.get_by_role("button", name="Entfernen: Jörg Sorge").click()
        await page.get_by_role("status").filter(has_text="darf das Kind nicht mehr abholen").wait_for()
        assert not await page.get_by_role("img", name="Passbild von Jörg Sorge").count()
        assert "Noch keine abholberechtigte Person eingetragen." in await page.get_by_role("main").inner_text()
        assert "Abholberechtigte Person mit aktuellem Passbild eintragen" in await page.get_by_role("main").inner_text()
        await assert_accessible(page)
        assert (await page.request.get(photo_url)).status == 404
