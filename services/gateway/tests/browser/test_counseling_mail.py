"""Mail counseling in Chromium (issue 17, web pages): the centre admin sets who gets new requests
(refused at the field without a maximum); a client opened by a counselor writes a request by
keyboard alone (refused at the fields when empty, a disguised attachment refused at its field) with a PDF attached,
and a second one; the counselor (the client's
primary counselor, so the requests are theirs) finds them in the inbox "Meine", sees the other under
"Bisherige Anfragen", downloads the attachment, copies the personal data given with the request
into the profile and a case record (only by these explicit actions), saves a draft, then "Entwurf speichern und freigeben"; the admin finds it under
"Freigegeben", takes it over with the draft, answers and sees the response times in the statistics; the client reads the answer and follows up.
axe on every page, 360 px without sideways scrolling, other roles refused."""

from __future__ import annotations

import subprocess
import sys
import uuid

import httpx
import pytest
from browser_support import assert_accessible, checked_page, sign_in, tab_to
from counseling_web_support import API, CENTRE_ADMIN, COUNSELOR, DEMO_CENTRE, staff
from platform_support import ROOT

from teilhabe_kit.testing import sample_pdf

PHONE = {"width": 360, "height": 740}
SEEKER = ("erika@demo.teilhabe.de", "Demo-Suchende-2026!")
PASSWORD = "Mein eigenes Passwort 2026"
DEMO_CENTRE_NAME = "Beratungszentrum Göttingen (Demo)"
PDF = sample_pdf("Mahnung Stromanbieter")


@pytest.fixture(scope="module")
async def mail(web_platform) -> dict[str, str]:
    """Bela's profile (a name in the admin's list) and a client Bela opened (Bela is their primary
    counselor) with an own password."""
    for loader in ("identity.demo", "centres.demo"):
        subprocess.run([sys.executable, "-m", loader], cwd=ROOT, check=True, capture_output=True, timeout=180)
    pseudonym = f"Möwe {uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=20) as api:
        admin, counselor = await staff(api, CENTRE_ADMIN), await staff(api, COUNSELOR)
        current = await api.get(f"{API}/settings", headers=admin)
        current.raise_for_status()
        body = {k: v for k, v in current.json().items() if k != "version"} | {"automatic_primary_counselor": True}
        changed = await api.put(
            f"{API}/settings", headers=admin | {"If-Match": str(current.json()["version"])}, json=body
        )
        assert changed.status_code in (200, 204), changed.text
        profile = {"display_name": "Bela (Beratung)", "description": "Schulden und Familie", "languages": ["de"]}
        saved = await api.put(
            f"{API}/counselors/me", headers=counselor, json=profile | {"internal": {"first_name": "Bela"}}
        )
        assert saved.status_code < 300, saved.text
        bela = (await api.get(f"{API}/counselors/me", headers=counselor)).json()["counselor_id"]
        opened = await api.post(f"{API}/clients", headers=counselor, json={"pseudonym": pseudonym})
        assert opened.status_code == 201, opened.text
        login = await api.post(
            "/api/v1/identity/auth/client-login",
            json={"centre_id": DEMO_CENTRE, "pseudonym": pseudonym, "password": opened.json()["initial_password"]},
        )
        login.raise_for_status()
        changed = await api.post(
            "/api/v1/identity/auth/password",
            headers={"Authorization": f"Bearer {login.json()['access_token']}"},
            json={"current_password": opened.json()["initial_password"], "new_password": PASSWORD},
        )
        assert changed.status_code == 204, changed.text
    return {"pseudonym": pseudonym, "client_id": opened.json()["client_id"], "bela": bela}


async def _as_staff(page, login: tuple[str, str]) -> None:
    await sign_in(page, *login)
    await page.goto("/beratungsstelle/wechseln")
    await page.get_by_label(DEMO_CENTRE_NAME).check()
    await page.get_by_role("main").get_by_role("button", name="Wechseln").click()
    await page.wait_for_load_state()


async def _as_client(page, pseudonym: str) -> None:
    await page.goto(f"/beratung/{DEMO_CENTRE}/anmelden")
    await page.get_by_label("Pseudonym").fill(pseudonym)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    await page.wait_for_url("**/mein-beratungskonto")


async def _checked(page) -> None:
    await assert_accessible(page)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def test_a_request_is_drafted_released_taken_over_and_answered(web_platform, chromium, mail, request):
    subject, earlier = f"Mahnung vom Stromanbieter {uuid.uuid4().hex[:4]}", f"Wohngeld {uuid.uuid4().hex[:4]}"
    bela_id = mail["bela"]
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_admin", viewport=PHONE) as admin:
        await _as_staff(admin, CENTRE_ADMIN)
        await admin.goto("/beratungsstelle/mailberatung/einstellungen")
        await admin.get_by_role("heading", level=1, name="Einstellungen der Mailberatung").wait_for()
        await _checked(admin)
        await admin.get_by_label("Verfügbarkeit von Bela (Beratung)").select_option(value="resources")
        await admin.get_by_label("Höchstens offene Anfragen von Bela (Beratung)").fill("")
        await admin.get_by_role("button", name="Speichern").click()
        await admin.locator(f'[id="max-{bela_id}"][aria-invalid=true]').wait_for()  # no maximum: refused there
        await _checked(admin)
        await admin.get_by_label("Höchstens offene Anfragen von Bela (Beratung)").fill("20")
        await admin.get_by_label("Alle im Team, sobald eine Anfrage freigegeben ist.").check()
        await admin.get_by_role("button", name="Speichern").click()
        await (
            admin.get_by_role("status")
            .filter(has_text="Die Einstellungen der Mailberatung sind gespeichert.")
            .wait_for()
        )
        assert await admin.get_by_label("Höchstens offene Anfragen von Bela (Beratung)").input_value() == "20"

        async with checked_page(
            chromium, web_platform.gateway, request.node.name + "_client", viewport=PHONE
        ) as client:
            await _as_client(client, mail["pseudonym"])
            await client.get_by_role("link", name="Meine Anfragen").click()
            await client.get_by_role("heading", level=1, name="Meine Anfragen").wait_for()
            await _checked(client)
            for title, text in (
                (earlier, "Wie beantrage ich Wohngeld?"),
                (subject, "Ich kann die Rechnung nicht zahlen.\nWas nun?"),
            ):
                await client.goto("/mein-beratungskonto/anfragen/neu")
                keyboard = client.keyboard  # keyboard only
                await tab_to(client, "Senden")
                await keyboard.press("Enter")
                await client.locator("#subject[aria-invalid=true]").wait_for()
                await client.locator("#text[aria-invalid=true]").wait_for()
                await _checked(client)
                await client.locator("#subject").focus()
                await keyboard.type(title)
                await tab_to(client, "Ihre Nachricht")
                await keyboard.type(text)
                if title == subject:  # a disguised file is refused at its field, nothing is sent
                    disguised = {"name": "mahnung.pdf", "mimeType": "application/pdf", "buffer": b"<html>x</html>"}
                    await client.get_by_label("Datei anhängen (freiwillig)").set_input_files(disguised)
                    await client.get_by_role("button", name="Senden").click()
                    await client.locator("#attachment[aria-invalid=true]").wait_for()
                    await _checked(client)
                    assert await client.locator("#subject").input_value() == title  # what was typed stays
                    real = {"name": "mahnung.pdf", "mimeType": "application/pdf", "buffer": PDF}
                    await client.get_by_label("Datei anhängen (freiwillig)").set_input_files(real)
                    await client.get_by_label("Altersgruppe").select_option(label="27 bis 44")
                    await client.get_by_label("Postleitzahl").fill("37073")
                    await client.locator("#text").focus()
                await tab_to(client, "Senden")
                await keyboard.press("Enter")
                await client.get_by_role("heading", level=1, name=title).wait_for()
                await client.get_by_role("status").filter(has_text="Ihre Anfrage ist angekommen.").wait_for()
            assert "Was nun?" in await client.locator(".messages").inner_text()
            await _checked(client)

            async with checked_page(
                chromium, web_platform.gateway, request.node.name + "_bela", viewport=PHONE
            ) as bela:
                await _as_staff(bela, COUNSELOR)
                await bela.goto("/beratungsstelle/mailberatung")
                await bela.get_by_role("heading", name="Anfragen im Postfach „Meine“").wait_for()
                await _checked(bela)
                await bela.get_by_role("link", name=subject).click()
                await bela.get_by_role("heading", level=1, name=subject).wait_for()
                assert earlier in await bela.get_by_role("region", name="Bisherige Anfragen").inner_text()
                assert mail["pseudonym"] in await bela.locator(".messages").inner_text()
                async with bela.expect_download() as info:
                    await bela.get_by_role("link", name="mahnung.pdf").click()
                assert (await (await info.value).path()).read_bytes() == PDF  # the client's attachment
                data = bela.get_by_role("region", name="Daten der Anfrage")
                assert "27 bis 44" in await data.inner_text() and "37073" in await data.inner_text()
                await bela.get_by_role("button", name="In Profil übernehmen").click()
                await bela.get_by_role("status").filter(has_text="Die Angaben sind ins Profil übernommen.").wait_for()
                await bela.get_by_label("Dauer in Minuten").fill("")
                await bela.get_by_role("button", name="In Monitoring übernehmen").click()
                await bela.locator("#record_minutes[aria-invalid=true]").wait_for()  # counseling's refusal there
                await _checked(bela)
                await bela.get_by_label("Dauer in Minuten").fill("20")
                await bela.get_by_label("Thema").select_option(value="debt")
                await bela.get_by_role("button", name="In Monitoring übernehmen").click()
                await (
                    bela.get_by_role("status")
                    .filter(has_text="Das Monitoring mit den Angaben ist gespeichert.")
                    .wait_for()
                )
                thread_url = bela.url
                await bela.goto(f"/beratungsstelle/ratsuchende/{mail['client_id']}")
                assert "37073" in await bela.locator("main").inner_text()  # in the profile now
                await bela.goto(thread_url)
                await _checked(bela)
                await bela.get_by_role("button", name="Entwurf speichern", exact=True).click()  # empty: refused
                await bela.locator("#answer[aria-invalid=true]").wait_for()
                await _checked(bela)
                await bela.get_by_label("Ihre Antwort").fill("Liebe Möwe, wir schauen uns die Mahnung")
                await bela.get_by_role("button", name="Entwurf speichern", exact=True).click()
                await bela.get_by_role("status").filter(has_text="Der Entwurf ist gespeichert.").wait_for()
                draft = "Liebe Möwe, wir schauen uns die Mahnung gemeinsam an."
                assert "wir schauen uns die Mahnung" in await bela.get_by_label("Ihre Antwort").input_value()
                await bela.get_by_label("Ihre Antwort").fill(draft)
                await bela.get_by_role("button", name="Entwurf speichern und freigeben").click()
                await bela.get_by_role("status").filter(has_text="die Anfrage freigegeben").wait_for()
                await _checked(bela)

            await admin.goto("/beratungsstelle/mailberatung?box=released")
            await admin.get_by_role("link", name=subject).click()
            assert draft in await admin.get_by_role("region", name="Entwurf von Bela (Beratung)").inner_text()
            await _checked(admin)
            await admin.get_by_role("button", name="Anfrage übernehmen").click()
            await admin.get_by_role("status").filter(has_text="Sie haben die Anfrage übernommen.").wait_for()
            assert await admin.get_by_label("Ihre Antwort").input_value() == draft  # the draft came with it
            await admin.get_by_role("button", name="Antwort senden").click()
            await admin.get_by_role("status").filter(has_text="Die Antwort ist gesendet.").wait_for()
            await _checked(admin)
            await admin.goto("/beratungsstelle/statistik")  # the answered wait is in the response times
            await admin.get_by_role("heading", name="Antwortzeiten der Mailberatung").wait_for()
            table = await admin.get_by_role(
                "table", name="Antwortzeiten je Monat (Stunden bis zur Antwort)"
            ).inner_text()
            assert "Zeitraum gesamt" in table
            await _checked(admin)

            await client.goto("/mein-beratungskonto/anfragen")
            await client.get_by_role("link", name=subject).click()
            assert draft in await client.locator(".messages").inner_text()
            await client.get_by_label("Ihre Antwort").fill("Danke, ich komme vorbei.")
            await client.get_by_role("button", name="Senden").click()
            await client.get_by_role("status").filter(has_text="Ihre Nachricht ist gesendet.").wait_for()
            assert "Danke, ich komme vorbei." in await client.locator(".messages").inner_text()
            await _checked(client)


async def test_other_roles_are_refused_the_mail_pages(web_platform, chromium, mail, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_counselor") as page:
        await _as_staff(page, COUNSELOR)
        response = await page.goto("/beratungsstelle/mailberatung/einstellungen")  # admins only
        assert response.status == 403
        await assert_accessible(page)
        response = await page.goto("/mein-beratungskonto/anfragen")  # clients only
        assert response.status == 403
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_seeker") as page:
        await sign_in(page, *SEEKER)
        for path in ("/beratungsstelle/mailberatung", "/mein-beratungskonto/anfragen/neu"):
            response = await page.goto(path)
            assert response.status == 403, path
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_client") as page:
        await _as_client(page, mail["pseudonym"])
        for path in ("/beratungsstelle/mailberatung", "/beratungsstelle/mailberatung/einstellungen"):
            response = await page.goto(path)
            assert response.status == 403, path
        response = await page.goto(f"/mein-beratungskonto/anfragen/{uuid.uuid4()}")  # nobody's thread
        assert response.status == 404
