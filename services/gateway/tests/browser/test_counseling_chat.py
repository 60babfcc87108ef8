"""Counseling chats in two real Chromium browsers (issue 17, chat and walk-in pages): a client of the
demo centre begins a chat and waits; the counselor's queue shows it live (SSE) and the counselor
accepts it by keyboard; messages go both ways live and are announced in the live region; an empty
message is refused at its field; the counselor starts a video call and the client sees its link
live; the client ends the chat. A person without an account starts an anonymous chat from the
centre's public page, sees their place in the queue and gets only the session cookie; the counselor
accepts and both write live. axe on every page, 360 px without sideways scrolling."""

from __future__ import annotations

import subprocess
import sys
import uuid

import httpx
import pytest
from browser_support import assert_accessible, checked_page, sign_in
from counseling_web_support import API, COUNSELOR, DEMO_CENTRE, staff
from platform_support import ROOT

PHONE = {"width": 360, "height": 740}
PASSWORD = "Mein eigenes Passwort 2026"
DEMO_CENTRE_NAME = "Beratungszentrum Göttingen (Demo)"


@pytest.fixture(scope="module")
async def client_login(web_platform) -> str:
    """A client of the demo centre (opened by the counselor) with an own password: the pseudonym."""
    for loader in ("identity.demo", "centres.demo"):
        subprocess.run([sys.executable, "-m", loader], cwd=ROOT, check=True, capture_output=True, timeout=180)
    pseudonym = f"Kranich {uuid.uuid4().hex[:6]}"
    async with httpx.AsyncClient(base_url=web_platform.gateway, timeout=20) as api:
        counselor = await staff(api, COUNSELOR)
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
    return pseudonym


async def _as_counselor(page) -> None:
    await sign_in(page, *COUNSELOR)
    await page.goto("/beratungsstelle/wechseln")
    await page.get_by_label(DEMO_CENTRE_NAME).check()
    await page.get_by_role("main").get_by_role("button", name="Wechseln").click()
    await page.wait_for_load_state()


async def _checked(page) -> None:
    await assert_accessible(page)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways at 360 px ({width})"


async def _press(page, locator) -> None:
    """Activate by keyboard: focus, then Enter."""
    await locator.focus()
    await page.keyboard.press("Enter")


async def _write(page, text: str) -> None:
    await page.get_by_label("Ihre Nachricht").fill(text)
    await _press(page, page.get_by_role("button", name="Senden"))
    await page.wait_for_load_state()


async def _accept(counselor, chat_id: str) -> None:
    """The chat appears in the open queue page by itself (SSE); accept it by keyboard."""
    button = counselor.locator(f'form[action="/beratungsstelle/chats/{chat_id}/annehmen"] button')
    await button.wait_for()
    await _press(counselor, button)
    await counselor.wait_for_url(f"**/beratungsstelle/chats/{chat_id}")


async def test_client_and_counselor_chat_live_with_a_video_call(web_platform, chromium, client_login, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_counselor", viewport=PHONE) as team:
        await _as_counselor(team)
        await team.goto("/beratungsstelle/chats")
        await team.get_by_role("heading", level=1, name="Chats").wait_for()
        await _checked(team)

        async with checked_page(chromium, web_platform.gateway, request.node.name + "_client", viewport=PHONE) as me:
            await me.goto(f"/beratung/{DEMO_CENTRE}/anmelden")
            await me.get_by_label("Pseudonym").fill(client_login)
            await me.get_by_label("Passwort").fill(PASSWORD)
            await me.get_by_role("main").get_by_role("button", name="Anmelden").click()
            await me.wait_for_url("**/mein-beratungskonto")
            await me.get_by_role("link", name="Mein Chat").click()
            await me.get_by_role("heading", level=1, name="Mein Chat").wait_for()
            await _checked(me)
            await _press(me, me.get_by_role("button", name="Chat beginnen"))
            await me.locator("#chat").get_by_text("Sie warten auf eine Beraterin oder einen Berater.").wait_for()
            await me.locator("#chat").get_by_text("Sie sind an Platz").wait_for()
            await _checked(me)
            chat_id = me.url.rstrip("/").split("/")[-1]

            await _accept(team, chat_id)
            await (
                me.locator("#chat").get_by_text("Der Chat läuft. Sie können jetzt schreiben.").wait_for()
            )  # live, no reload
            await _checked(team)

            await _write(team, "Guten Abend, ich bin für Sie da.")
            await me.locator("#chat").get_by_text("Guten Abend, ich bin für Sie da.").wait_for()
            await me.locator("#chat-live").get_by_text("Neue Nachricht: Guten Abend, ich bin für Sie da.").wait_for()

            await _press(me, me.get_by_role("button", name="Senden"))  # empty: refused at the field
            await me.locator("#text[aria-invalid=true]").wait_for()
            await _checked(me)
            await _write(me, "Danke, ich habe Schulden beim Stromanbieter.")
            await team.locator("#chat").get_by_text("Danke, ich habe Schulden beim Stromanbieter.").wait_for()

            await _press(team, team.get_by_role("button", name="Video-Anruf starten"))
            await team.get_by_role("link", name="Video-Anruf als Moderation öffnen").wait_for()
            await _checked(team)
            await me.get_by_role("link", name="Video-Anruf beitreten").wait_for()  # live
            assert await me.get_by_role("link", name="Video-Anruf als Moderation öffnen").count() == 0

            await _press(me, me.get_by_role("button", name="Chat beenden"))
            await me.locator("#chat").get_by_text("Dieser Chat ist beendet.").wait_for()
            await team.locator("#chat").get_by_text("Dieser Chat ist beendet.").wait_for()  # live
            assert await me.get_by_label("Ihre Nachricht").count() == 0


async def test_a_person_without_account_chats_anonymously(web_platform, chromium, request):
    async with checked_page(chromium, web_platform.gateway, request.node.name + "_guest", viewport=PHONE) as guest:
        await guest.goto(f"/beratung/{DEMO_CENTRE}/sofortchat")
        await guest.get_by_role("heading", level=1, name="Anonym chatten").wait_for()
        await _checked(guest)
        await _press(guest, guest.get_by_role("button", name="Anonymen Chat beginnen"))
        await guest.wait_for_url("**/sofortchat/*")
        await guest.get_by_text("Ihr Name im Chat: Gast").wait_for()
        await guest.locator("#chat").get_by_text("Sie sind an Platz").wait_for()
        await _checked(guest)
        await _write(guest, "Ich weiß nicht mehr weiter.")
        chat_id = guest.url.rstrip("/").split("/")[-1].split("#")[0]
        cookies = await guest.context.cookies()
        assert [c["name"] for c in cookies] == ["teilhabe_session"]

        async with checked_page(chromium, web_platform.gateway, request.node.name + "_team", viewport=PHONE) as team:
            await _as_counselor(team)
            await team.goto("/beratungsstelle/chats")
            await _accept(team, chat_id)
            await team.locator("#chat").get_by_text("Ich weiß nicht mehr weiter.").wait_for()
            await guest.locator("#chat").get_by_text("Der Chat läuft. Sie können jetzt schreiben.").wait_for()  # live
            await _write(team, "Erzählen Sie mir, was passiert ist.")
            await guest.locator("#chat").get_by_text("Erzählen Sie mir, was passiert ist.").wait_for()
            await _checked(guest)

        other = await chromium.new_context(base_url=web_platform.gateway, locale="de-DE")
        try:  # another browser cannot open the chat: the credential is in the guest's session only
            answer = await (await other.new_page()).goto(f"/sofortchat/{chat_id}")
            assert answer is not None and answer.status == 404
        finally:
            await other.close()
