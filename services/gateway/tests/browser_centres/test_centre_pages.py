"""The counseling-centre pages in Chromium on the real identity, centres and gateway: the public
finder by keyboard alone at 360 px (list with reasons, the same centres on the map, the centre's
page, the white-spot fallback), the platform admin's onboarding up to the first admin's invitation,
the invited admin setting a password through the link, the team (invite, seats full, more seats
requested, role change, removal) and the self-service (profile, offers, opening hours, history,
live in the finder). axe (WCAG 2.1 AA) on every page; other roles are refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import httpx
import pytest
from browser_support import assert_accessible, checked_page, sign_in, tab_to
from centres_web_support import (
    admin_headers,
    invitation_link,
    invitation_of,
    no_horizontal_overflow,
    onboarded_centre,
    wait_for_identity,
)
from platform_support import ROOT, token_for

PHONE = {"viewport": {"width": 360, "height": 780}}
PASSWORD = "Sonnenblume-Teilhabe-7"
PLATFORM_ADMIN = ("admin@demo.teilhabe.de", "Demo-Admin-2026!")


@pytest.fixture(scope="module")
def demo_loaded(centres_platform, identity_database):
    """identity's demo loader (idempotent): the demo admin and seeker sign in with their passwords."""
    env = os.environ | {"DATABASE_URL_IDENTITY": identity_database}
    subprocess.run(
        [sys.executable, "-m", "identity.demo"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=90
    )


REMOTE_POSTCODES = ("24999", "26486", "25999", "94151", "17375", "19300", "39606", "54619", "66919", "87541")


async def _white_spot(gateway: str) -> str:
    """A remote postcode no centre covers (the shared database may hold the demo region's 300 centres)."""
    async with httpx.AsyncClient(base_url=gateway, timeout=15) as api:
        for postcode in REMOTE_POSTCODES:
            found = await api.get("/api/v1/centres/finder", params={"postcode": postcode, "distance_km": 5})
            if found.status_code == 200 and found.json().get("white_spot"):
                return postcode
    raise AssertionError("every remote postcode is covered by some centre")


async def test_the_finder_works_by_keyboard_alone_at_360_px_with_list_map_and_centre_page(
    centres_platform, chromium, request
):
    centre = await onboarded_centre(centres_platform.gateway)
    async with checked_page(chromium, centres_platform.gateway, request.node.name, **PHONE) as page:
        await page.goto("/beratung")
        await assert_accessible(page)
        await no_horizontal_overflow(page)
        await tab_to(page, "Postleitzahl oder Ort")
        await page.keyboard.type("37154")
        await tab_to(page, "Thema")
        await page.keyboard.press("ArrowDown")  # the first topic in the list: Schulden
        await tab_to(page, "Suchen")
        await page.keyboard.press("Enter")
        await page.get_by_role("heading", name=re.compile("Beratungsstellen? gefunden")).wait_for()
        card = page.locator("li.centre").filter(has_text=centre["name"])
        assert "berät zu Schulden" in await card.locator(".reasons").inner_text()
        await page.locator("#map .leaflet-interactive").first.wait_for()  # the same centres on the map
        assert await page.locator("#map").is_visible()
        await assert_accessible(page)
        await no_horizontal_overflow(page)
        await tab_to(page, f"Mehr zu {centre['name']}", limit=400)
        await page.keyboard.press("Enter")
        await page.get_by_role("heading", name=centre["name"], level=1).wait_for()
        assert await page.get_by_role("link", name="Termin online buchen").get_attribute("href") == (
            "https://termine.example/northeim"
        )
        assert "Video" in await page.locator("main").inner_text()
        await assert_accessible(page)
        await no_horizontal_overflow(page)

        await page.goto("/beratung")
        await page.locator("#where").press_sequentially("Northe")  # place names are suggested as one types
        await page.locator('#where-suggestions option[value="Northeim"]').first.wait_for(state="attached")
        await page.goto("/beratung?where=Northeim&km=25&topic=debt")
        await page.locator("li.centre").filter(has_text=centre["name"]).wait_for()

        await page.goto(f"/beratung?where={await _white_spot(centres_platform.gateway)}&km=5")
        await page.locator("#white-spot").wait_for()
        await assert_accessible(page)
        await page.goto("/beratung?where=1234&km=25")
        await page.locator("#where[aria-invalid=true]").wait_for()  # a bad postcode at the field
        await assert_accessible(page)

        await page.goto(f"/beratung/{centre['centre_id']}")
        await page.get_by_role("button", name="English").click()  # English through the switch
        await page.get_by_role("heading", name="Opening hours").wait_for()
        await page.goto("/beratung?where=37154&km=25&topic=debt")
        assert "advises on debt" in await page.locator("li.centre").filter(has_text=centre["name"]).inner_text()
        await assert_accessible(page)


async def test_onboarding_invitation_team_and_self_service(centres_platform, chromium, demo_loaded, request):
    identity = centres_platform.urls["identity"]
    tag = uuid.uuid4().hex[:6]
    admin_email, counselor_email = f"leitung-{tag}@beratung.example", f"beraterin-{tag}@beratung.example"
    async with checked_page(chromium, centres_platform.gateway, request.node.name + "_admin") as page:
        await sign_in(page, *PLATFORM_ADMIN)
        await page.goto("/verwaltung/beratungsstellen")
        await assert_accessible(page)
        await page.get_by_label("Name der Beratungsstelle").fill(f"Familienberatung {tag}")
        await page.get_by_label("Postleitzahl").fill("37154")
        await page.get_by_role("button", name="Interesse erfassen").click()
        await page.get_by_role("heading", name=f"Familienberatung {tag}", level=1).wait_for()
        centre_id = page.url.rsplit("/", 1)[1]
        await assert_accessible(page)
        await page.get_by_label("Version der Vereinbarung").fill("2026-1")
        await page.get_by_label("Unterschrieben am").fill("31.02.2026")  # no such day: refused at the field
        await page.get_by_label("Unterschrieben von").fill("Petra Vorstand")
        await page.get_by_role("button", name="Vereinbarung eintragen").click()
        await page.locator("#signed_on[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Unterschrieben am").fill("30.11.2026")
        await page.get_by_role("button", name="Vereinbarung eintragen").click()
        await page.get_by_text("Unterschrieben am 30.11.2026").wait_for()
        await page.get_by_label("Online-Terminbuchung").check()
        await page.get_by_role("button", name="Funktionen speichern").click()
        await page.get_by_label("Anzahl der Zugänge für das Team").fill("2")
        await page.get_by_role("button", name="Lizenzen speichern").click()
        await wait_for_identity(identity, centre_id, 2)
        await page.reload()
        await page.locator("#name").fill("Lea Leitung")
        await page.locator("#email").fill(admin_email)
        await page.get_by_role("button", name="Einladung schicken").click()
        await page.get_by_text("Lea Leitung – Admin der Beratungsstelle – eingeladen bis").wait_for()
        await assert_accessible(page)

    link = await invitation_link(identity, await invitation_of(identity, centre_id, admin_email))
    async with checked_page(chromium, centres_platform.gateway, request.node.name + "_centre", **PHONE) as page:
        await page.goto(link)
        await page.get_by_text(f"Familienberatung {tag}").first.wait_for()
        await assert_accessible(page)
        await page.get_by_role("button", name="Einladung annehmen").click()  # no password: refused at the field
        await page.locator("#password[aria-invalid=true]").wait_for()
        await page.get_by_label("Passwort").fill(PASSWORD)
        await page.get_by_role("button", name="Einladung annehmen").click()
        await page.wait_for_url("**/anmelden")
        await sign_in(page, admin_email, PASSWORD)
        await page.wait_for_url("**/beratungsstelle")
        await assert_accessible(page)
        await no_horizontal_overflow(page)

        # self-service: the first profile, offers, hours
        await page.locator("#provider").fill("Caritas Northeim")
        await page.locator("#street").fill("Mühlenstraße 3")
        await page.locator("#city").fill("Northeim")
        await page.locator("#phone").fill("05551 98765")
        await page.locator("#area_radius").fill("250")  # out of range: refused at the field
        await page.get_by_role("button", name="Speichern").click()
        await page.locator("#area_radius[aria-invalid=true]").wait_for()
        await assert_accessible(page)
        await page.locator("#area_radius").fill("25")
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_text("Gespeichert").wait_for()
        await page.get_by_role("link", name="Angebote").first.click()
        for label in ("Familie und Partnerschaft", "Deutsch", "Arabisch", "Telefon", "Chat"):
            await page.get_by_label(label, exact=True).check()
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_text("Gespeichert").wait_for()
        await assert_accessible(page)
        await page.get_by_role("link", name="Öffnungszeiten").first.click()
        await page.locator("#from-0-1").fill("9")
        await page.locator("#to-0-1").fill("8")  # ends before it starts: refused
        await page.get_by_role("button", name="Speichern").click()
        await page.locator("#hours-error").wait_for()
        await page.locator("#to-0-1").fill("12")
        await page.locator("#from-0-2").fill("11")
        await page.locator("#to-0-2").fill("16")  # overlaps the first range: refused by the service
        await page.get_by_role("button", name="Speichern").click()
        await page.locator(".error-summary").wait_for()
        await page.locator("#from-0-2").fill("14")
        await page.get_by_role("button", name="Speichern").click()
        await page.get_by_text("Gespeichert").wait_for()
        await assert_accessible(page)
        await no_horizontal_overflow(page)
        await page.get_by_role("link", name="Verlauf").first.click()
        assert "Sie" in await page.locator("table").inner_text()
        await assert_accessible(page)

        # team: invite a counselor, seats full, ask for more, role change, removal
        await page.get_by_role("link", name="Team").first.click()
        await page.get_by_text("1 von 2 Lizenzen sind vergeben.").wait_for()
        await assert_accessible(page)
        await no_horizontal_overflow(page)
        await page.locator("#name").fill("Bea Beraterin")
        await page.locator("#email").fill(counselor_email)
        await page.get_by_role("button", name="Einladung schicken").click()
        await page.get_by_text("2 von 2 Lizenzen sind vergeben.").wait_for()
        await page.locator("#name").fill("Zora Zuviel")
        await page.locator("#email").fill(f"zuviel-{tag}@beratung.example")
        await page.get_by_role("button", name="Einladung schicken").click()
        await page.get_by_role("alert").filter(has_text="Alle 2 Lizenzen sind vergeben").wait_for()
        await assert_accessible(page)
        await page.locator("#seats_needed").fill("4")
        await page.get_by_role("button", name="Anfrage absenden").click()
        await page.get_by_text("Ihre Anfrage ist angekommen").wait_for()
        await page.get_by_role("button", name=re.compile("Einladung zurückziehen.*Bea Beraterin")).click()
        await page.get_by_text("1 von 2 Lizenzen sind vergeben.").wait_for()
        own = page.locator("li.member").filter(has_text="Lea Leitung")
        await own.get_by_label("Rolle von Lea Leitung").select_option("counselor")
        await own.get_by_role("button", name=re.compile("Rolle ändern")).click()  # the last admin stays
        await page.locator("#team").filter(has_text="mindestens eine Person").wait_for()
        await assert_accessible(page)
        await page.goto("/beratungsstelle/wechseln")  # one centre: it is the chosen one
        assert await page.get_by_label(re.compile(f"Familienberatung {tag}")).is_checked()
        await assert_accessible(page)
        await page.get_by_role("button", name="Wechseln").click()
        await page.wait_for_url("**/beratungsstelle/team")

    async with httpx.AsyncClient(base_url=centres_platform.gateway, headers=admin_headers(), timeout=10) as api:
        requests_ = (await api.get("/api/v1/identity/centres/seat-requests")).json()
        assert [r["seats"] for r in requests_ if r["centre_id"] == centre_id] == [4]
        found = (await api.get("/api/v1/centres/finder", params={"postcode": "37154", "topic": "family"})).json()
        assert any(h["centre_id"] == centre_id for h in found["items"])  # live in the finder


async def test_other_roles_are_refused_the_centre_pages(centres_platform, chromium, demo_loaded, request):
    centre = await onboarded_centre(centres_platform.gateway, listed=False)
    tokens = {
        "counselor": token_for("c-1", "counselor", organisation_id=centre["centre_id"]),
        "seeker": token_for("s-1", "seeker"),
    }
    async with httpx.AsyncClient(base_url=centres_platform.gateway, timeout=10) as api:
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"}
            team = await api.get(f"/api/v1/identity/centres/{centre['centre_id']}/team", headers=headers)
            assert team.status_code == 403, role
            change = await api.put(
                f"/api/v1/centres/centres/{centre['centre_id']}/profile", json={"name": "X"}, headers=headers
            )
            assert change.status_code in (403, 404, 422), role
    async with checked_page(chromium, centres_platform.gateway, request.node.name) as page:
        await sign_in(page, "erika@demo.teilhabe.de", "Demo-Suchende-2026!")
        for path in ("/beratungsstelle", "/beratungsstelle/team", "/verwaltung/beratungsstellen"):
            response = await page.goto(path)
            assert response.status == 403, path
            await assert_accessible(page)
