"""Signing by uploaded scan and a guardian's search order, in Chromium with the demo accounts.

The demo seeker signs the contract in the app, the demo assistant uploads the signed paper copy
(a wrong file first: refused at the field), the provider's coordinator ratifies; after a change
the page is the contract's own address again (a reload sends nothing twice). The demo guardian
creates an order for the child she acts for ("Für wen ist der Auftrag?") and sees it on her
dashboard; an order for somebody else is refused with a clear message. axe runs on every page.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import date, timedelta

import httpx
import pytest
from browser_support import api_token, assert_accessible, checked_page, sign_in
from platform_support import ROOT

SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
ASSISTANT = ("max@demo.teilhabe.de", "Demo-Assistenz-2026!")
COORDINATOR = ("kora@demo.teilhabe.de", "Demo-Koordination-2026!")
GUARDIAN = ("gerda@demo.teilhabe.de", "Demo-Sorge-2026!")
ORDERS = "/api/v1/orders/orders"
CONTRACTS = "/api/v1/contracts/assistance"


@pytest.fixture(scope="module")
def demo(web_platform):
    """identity's demo loader (idempotent): seeker, assistant, coordinator, guardian and child."""
    subprocess.run([sys.executable, "-m", "identity.demo"], cwd=ROOT, check=True, capture_output=True, timeout=60)


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=(7 - today.weekday()) or 7)


async def _drafted_contract(base_url: str) -> tuple[str, str]:
    """Through the API: the demo seeker's order, the demo assistant's offer, the award, the
    coordinator's meeting date (picked by the seeker) and draft. Returns the order and contract."""
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        seeker, assistant = await api_token(api, *SEEKER), await api_token(api, *ASSISTANT)
        coordinator = await api_token(api, *COORDINATOR)
        created = await api.post(
            ORDERS,
            headers=seeker,
            json={
                "schedule": {"kind": "one_time", "date": _next_monday().isoformat(), "start": "14:00", "end": "16:00"},
                "activities": ["shopping"],
                "traits": [],
                "postcode": "37154",
                "max_distance_km": 40,
            },
        )
        created.raise_for_status()
        order_id = created.json()["order_id"]
        (await api.post(f"{ORDERS}/{order_id}/publish", headers=seeker)).raise_for_status()
        offer = await api.post(f"{ORDERS}/{order_id}/offers", headers=assistant, json={})
        offer.raise_for_status()
        (
            await api.post(f"{ORDERS}/{order_id}/offers/{offer.json()['offer_id']}/accept", headers=seeker)
        ).raise_for_status()
        contract_id = None
        for _ in range(60):  # contracts opens the process when OfferAccepted arrives
            planned = (await api.get(CONTRACTS, headers=coordinator, params={"view": "planned"})).json()
            contract_id = next((c["contract_id"] for c in planned if c["order_id"] == order_id), None)
            if contract_id:
                break
            await asyncio.sleep(0.5)
        assert contract_id, "no contract opened for the accepted offer"
        base = f"{CONTRACTS}/{contract_id}"
        slot = f"{(date.today() + timedelta(days=2)).isoformat()}T10:00:00+01:00"
        (await api.post(f"{base}/meeting-proposals", headers=coordinator, json={"slots": [slot]})).raise_for_status()
        (await api.post(f"{base}/meeting", headers=seeker, json={"slot": slot})).raise_for_status()
        (await api.post(f"{base}/meeting/held", headers=coordinator)).raise_for_status()
        (
            await api.post(
                f"{base}/draft",
                headers=coordinator,
                json={
                    "activities": ["shopping"],
                    "schedule": "montags 14 bis 16 Uhr",
                    "hourly_rate_cents": 2900,
                    "payer": "relief_amount",
                    "starts_on": (date.today() + timedelta(days=7)).isoformat(),
                    "notice_weeks": 2,
                },
            )
        ).raise_for_status()
    return order_id, contract_id


async def test_seeker_signs_in_the_app_assistant_uploads_the_signed_scan_provider_ratifies(
    web_platform, chromium, demo, request
):
    order_id, contract_id = await _drafted_contract(web_platform.gateway)
    url = f"/vertraege/{contract_id}"
    title = f"Einkaufen ab {(date.today() + timedelta(days=7)).strftime('%d.%m.%Y')}"
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_seeker") as seeker:
        await sign_in(seeker, *SEEKER)
        await seeker.goto(url)
        await seeker.get_by_role("heading", name=title, level=1).wait_for()
        await seeker.get_by_text(f"Vertrags-Nummer {contract_id[:8]}", exact=True).wait_for()
        await seeker.get_by_role("heading", name="Unterschriebenen Vertrag hochladen").wait_for()
        await assert_accessible(seeker)
        await seeker.locator("#password").fill(SEEKER[1])
        await seeker.get_by_role("button", name="Vertrag unterschreiben").click()
        await seeker.get_by_role("status").filter(has_text="Sie haben den Vertrag unterschrieben.").wait_for()
        assert seeker.url.endswith(url)  # the contract's own address: a reload does not sign again
        await seeker.reload()
        assert "Assistenz-suchende Person" in await seeker.locator("main").inner_text()
        await assert_accessible(seeker)

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_assistant") as assistant:
        await sign_in(assistant, *ASSISTANT)
        await assistant.goto(url)
        await assistant.get_by_role("heading", name=title, level=1).wait_for()
        printable = await assistant.request.get(
            await assistant.get_by_role("link", name="Vertrag als PDF (zum Lesen oder Ausdrucken)").first.get_attribute(
                "href"
            )
        )
        assert printable.status == 200 and (await printable.body()).startswith(b"%PDF")
        upload = assistant.get_by_label("Datei mit dem unterschriebenen Vertrag")
        await upload.set_input_files({"name": "notizen.txt", "mimeType": "text/plain", "buffer": b"unterschrieben"})
        await assistant.get_by_role("button", name="Hochladen und unterschreiben").click()
        await assistant.locator("#file[aria-invalid=true]").wait_for()  # refused at the field, announced
        assert "PDF, ein JPEG oder ein PNG" in await assistant.locator("#file-error").inner_text()
        assert "file-error" in await upload.get_attribute("aria-describedby")
        await assistant.get_by_role("alert").get_by_role("link", name=re.compile("PDF, ein JPEG")).wait_for()
        await assert_accessible(assistant)
        await upload.set_input_files({"name": "scan.png", "mimeType": "image/png", "buffer": b"kein Bild"})
        await assistant.get_by_role("button", name="Hochladen und unterschreiben").click()
        await (
            assistant.locator("#file-error").filter(has_text="PDF, JPEG oder PNG").wait_for()
        )  # contracts checks the content
        await assert_accessible(assistant)
        await upload.set_input_files(
            {"name": "vertrag-unterschrieben.pdf", "mimeType": "application/pdf", "buffer": await printable.body()}
        )
        await assistant.get_by_role("button", name="Hochladen und unterschreiben").click()
        await assistant.get_by_role("status").filter(has_text="Damit haben Sie unterschrieben.").wait_for()
        assert assistant.url.endswith(url)
        signed = re.search(r"Unterschrieben: (.*)", await assistant.locator("main").inner_text()).group(1)
        assert "Assistenz-suchende Person" in signed and "Assistenz-Kraft" in signed
        assert "sobald alle unterschrieben haben" in await assistant.locator("main").inner_text()
        token = await assistant.locator("input[name=csrf_token]").first.get_attribute("value")
        again = await assistant.request.post(
            f"{url}/scan",
            multipart={  # e.g. from a second tab: refused, said why
                "csrf_token": token,
                "file": {"name": "v.pdf", "mimeType": "application/pdf", "buffer": await printable.body()},
            },
        )
        assert again.status == 422 and 'id="error-summary"' in await again.text()
        assert "schon unterschrieben" in await again.text()
        await assert_accessible(assistant)

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_provider") as provider:
        await sign_in(provider, *COORDINATOR)
        await provider.goto(f"/koordination/vertraege/{contract_id}")
        await provider.get_by_role("button", name="Vertrag gegenzeichnen (ratifizieren)").click()
        await provider.get_by_role("status").filter(has_text="Der Vertrag ist gegengezeichnet und gilt.").wait_for()
        await assert_accessible(provider)
        token = await provider.locator("input[name=csrf_token]").first.get_attribute("value")
        refused = await provider.request.post(
            f"{url}/scan",
            multipart={  # not a signing party's role
                "csrf_token": token,
                "file": {"name": "v.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"},
            },
        )
        assert refused.status == 403

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_stranger") as stranger:
        await sign_in(stranger, *GUARDIAN)  # a guardian, but not of this seeker
        assert (await stranger.request.get(f"{url}/vertrag.pdf")).status in (403, 404)
        token = await stranger.locator("input[name=csrf_token]").first.get_attribute("value")
        refused = await stranger.request.post(
            f"{url}/scan",
            multipart={
                "csrf_token": token,
                "file": {"name": "v.pdf", "mimeType": "application/pdf", "buffer": b"%PDF"},
            },
        )
        assert refused.status in (403, 404)

    async with checked_page(chromium, web_platform.gateway, request.node.name + "_dashboard") as seeker:
        await sign_in(seeker, *SEEKER)  # the order with the signed contract is not filed under "Beendet"
        listed = seeker.get_by_role("region", name="Vertrag geschlossen").locator(f'a[href="/auftraege/{order_id}"]')
        for _ in range(20):  # orders marks the order fulfilled when ContractRatified arrives
            if await listed.count():
                break
            await seeker.wait_for_timeout(500)
            await seeker.reload()
        assert await listed.count() == 1
        await assert_accessible(seeker)


async def _account_id(base_url: str, who: tuple[str, str]) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=15) as api:
        return (await api.get("/api/v1/identity/me", headers=await api_token(api, *who))).json()["id"]


async def test_guardian_creates_an_order_for_her_ward_and_not_for_anybody_else(web_platform, chromium, demo, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name) as page:
        await sign_in(page, *GUARDIAN)
        await page.wait_for_url("**/suchende")
        await page.get_by_role("heading", name="Aufträge von Lina Sorge").wait_for()
        await assert_accessible(page)
        await page.get_by_role("link", name="Neuen Auftrag erstellen").click()
        await page.wait_for_url("**/auftraege/neu/fuer-wen")
        await page.get_by_role("group", name="Für wen ist der Auftrag?").wait_for()
        await assert_accessible(page)
        await page.get_by_label("Lina Sorge").evaluate("radio => { radio.checked = false; }")
        await page.get_by_role("button", name="Weiter").click()  # nobody chosen: asked at the field
        await page.locator("#seeker_id-error").filter(has_text="Für wen ist der Auftrag?").wait_for()
        await page.get_by_label("Lina Sorge").check()
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/art")
        assert "zehn Jahre" in await page.get_by_label("Beschreibung").input_value()  # from Lina's profile
        await page.get_by_label("Einmalig").check()
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_label("Datum").fill(_next_monday().isoformat())
        await page.get_by_label("Beginn").fill("15:00")
        await page.get_by_label("Ende").fill("17:00")
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/taetigkeiten")
        await page.get_by_role("button", name="Meinen Unterstützungs-Bedarf übernehmen").click()
        assert await page.get_by_label("Einkaufen").is_checked()  # Lina's needs
        await page.get_by_role("button", name="Weiter").click()
        await page.get_by_role("button", name="Weiter").click()
        await page.wait_for_url("**/auftraege/neu/freigeben")
        assert "Lina Sorge" in await page.locator("dl.summary").inner_text()
        await assert_accessible(page)
        await page.get_by_role("button", name="Auftrag freigeben").click()
        await page.wait_for_url(re.compile(r"/auftraege/[^/]+$"))
        assert "Ihr Auftrag ist freigegeben" in await page.locator("#status").inner_text()
        order_id = page.url.rsplit("/", 1)[1]
        await page.goto("/suchende")
        lina = page.get_by_role("region", name="Aufträge von Lina Sorge")
        assert await lina.locator(f'a[href="/auftraege/{order_id}"]').count() == 1
        await assert_accessible(page)

        erika = await _account_id(web_platform.gateway, SEEKER)  # not Gerda's ward
        await page.goto("/auftraege/neu")
        await page.locator("input[name=seeker_id]").first.evaluate("(input, id) => { input.value = id; }", erika)
        await page.get_by_role("button", name="Weiter").click()
        await (
            page.locator("#seeker_id-error").filter(has_text="Sie sind nicht als ihre Betreuung eingetragen").wait_for()
        )
        await page.get_by_role("alert").wait_for()
        assert page.url.endswith("/auftraege/neu/fuer-wen")
        await assert_accessible(page)
        await page.goto("/auftraege/neu/art")  # no skipping the question
        await page.wait_for_url("**/auftraege/neu/fuer-wen")

    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=15) as api:
        refused = await api.post(
            ORDERS,
            headers=await api_token(api, *GUARDIAN),
            json={
                "seeker_id": erika,
                "schedule": {"kind": "one_time", "date": _next_monday().isoformat(), "start": "09:00", "end": "10:00"},
                "activities": ["shopping"],
                "postcode": "37154",
                "max_distance_km": 20,
            },
        )
        assert refused.status_code == 403
        assert "keinen Auftrag" in refused.json()["detail"]
