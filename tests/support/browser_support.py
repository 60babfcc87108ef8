"""Headless Chromium from Debian (DESIGN.md §10) with axe-core checks and screenshots on failure.

Use `browser()` once per session and `checked_page()` per test; `assert_accessible(page)` runs axe
at WCAG 2.1 AA and fails with the rule ids and the offending elements.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, async_playwright

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--lang=de-DE",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".local" / "screenshots"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
_axe = Axe()


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


@contextlib.asynccontextmanager
async def checked_page(chromium: Browser, base_url: str, test_name: str, **context_options) -> AsyncIterator[Page]:
    """A fresh browser context (own cookies) whose page is screenshotted if the test fails."""
    context = await chromium.new_context(base_url=base_url, locale="de-DE", **context_options)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        yield page
        assert not refused, f"blocked by the Content-Security-Policy: {refused}"
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        raise
    finally:
        await context.close()


async def assert_accessible(page: Page) -> None:
    """axe-core at WCAG 2.1 A/AA on the current page: no violations."""
    result = await _axe.run(page, options=WCAG_AA)
    violations = [f"{v['id']}: {[n['target'] for n in v['nodes']][:5]}" for v in result.response["violations"]]
    assert not violations, f"axe violations on {page.url}: {violations}"


async def tab_to(page: Page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's label or text contains `name` (keyboard only)."""
    script = """() => {
      const el = document.activeElement;
      if (!el) return "";
      const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
      return [label, el.getAttribute("aria-label") || "", el.innerText || "", el.value || ""].join(" | ");
    }"""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if name in await page.evaluate(script):
            return
    raise AssertionError(f"keyboard focus never reached {name!r} on {page.url}")


async def sign_in(page: Page, login: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    await page.goto("/anmelden")
    await page.get_by_label("E-Mail-Adresse oder Telefon-Nummer").fill(login)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("main").get_by_role("button", name="Anmelden").click()
    await page.wait_for_load_state()


async def api_token(api, login: str, password: str) -> dict[str, str]:
    """The bearer header of a password login through the gateway's API (`api`: an httpx client)."""
    response = await api.post("/api/v1/identity/auth/login", json={"login": login, "password": password})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
