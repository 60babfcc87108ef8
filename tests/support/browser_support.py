"""Headless Chromium from Debian (DESIGN.md §10) with axe-core checks and screenshots on failure.

Use `browser()` once per session and `checked_page()` per test; `assert_accessible(page)` runs axe
at WCAG 2.1 AA and fails with the rule ids and the offending elements.
"""

from __future__ import annotations

import contextlib
import re
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

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


CONTRAST = """targets => targets.map(selector => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const over = (top, below) => {
    const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a));
  };
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== "none") return null;  // an image or gradient: not decidable here
    const bg = parse(style.backgroundColor);
    if (bg.length > 3 && bg[3] === 0) continue;
    layers.push(bg);
    if (bg.length < 4 || bg[3] === 1) break;
  }
  let background = [255, 255, 255];
  for (const layer of layers.reverse()) background = over(layer, background);
  const style = getComputedStyle(el);
  const foreground = over(parse(style.color), background);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [hi, lo] = [lum(foreground), lum(background)].sort((x, y) => y - x);
  const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  return {selector, ratio: (hi + 0.05) / (lo + 0.05), needed: large ? 3 : 4.5};
})"""
"""WCAG 1.4.3 for the elements axe could not decide ("incomplete"): the text colour over the
backgrounds of its ancestors (skipped only where an image or gradient lies behind)."""


async def assert_accessible(page: Page) -> None:
    """axe-core at WCAG 2.1 A/AA on the current page: no violations, and no text axe left undecided
    whose contrast is too low."""
    result = await _axe.run(page, options=WCAG_AA)
    violations = [f"{v['id']}: {[n['target'] for n in v['nodes']][:5]}" for v in result.response["violations"]]
    assert not violations, f"axe violations on {page.url}: {violations}"
    undecided = [
        node["target"][0]
        for rule in result.response["incomplete"]
        if rule["id"] == "color-contrast"
        for node in rule["nodes"]
        if len(node["target"]) == 1 and isinstance(node["target"][0], str)
    ]
    measured = [m for m in await page.evaluate(CONTRAST, undecided) if m]
    low = [f"{m['selector']}: {m['ratio']:.2f}:1 (needs {m['needed']}:1)" for m in measured if m["ratio"] < m["needed"]]
    assert not low, f"text with too little contrast on {page.url}: {low}"


PHONE = {"width": 360, "height": 740}


async def snapshot(page: Page, name: str) -> None:
    """A full-page screenshot of a changed page for the description of a change (.local/screenshots)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def assert_fits(page: Page) -> None:
    """Nothing scrolls sideways at the page's viewport width (e.g. 360 px)."""
    width = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways ({width[0]} px in {width[1]} px)"


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


class _Links(HTMLParser):
    """Where a page leads: its links and the parts htmx loads into it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.found.append(values["href"] or "")
        if values.get("hx-get"):
            self.found.append(values["hx-get"] or "")


def _pattern(path: str) -> str:
    """The shape of an address: ids (UUIDs, long hex or numbers) and query values replaced."""
    parts = urlsplit(path)
    shape = re.sub(r"/(?:[0-9a-f-]{16,}|\d+|[A-Za-z0-9_-]{20,})(?=/|$)", "/{id}", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return shape + ("?" + "&".join(keys) if keys else "")


@dataclass
class Crawl:
    visited: dict[str, int] = field(default_factory=dict)
    """address → status of every address fetched"""
    dead: list[str] = field(default_factory=list)
    """'address → status (linked from page)' of each link that answered 400 or more"""


async def crawl(page: Page, start: list[str], *, per_shape: int = 3, limit: int = 250) -> Crawl:
    """Follow every same-site link from `start` with the page's own session, as the person could
    click it (at most `per_shape` addresses of one shape, e.g. three contracts of a list, and
    `limit` in all); each answer ≥ 400 is recorded with the page that linked it."""
    base = urlsplit(page.url)
    result = Crawl()
    shapes: dict[str, int] = {}
    queue: deque[tuple[str, str]] = deque((path, "(start)") for path in start)
    seen = set(start)
    while queue and len(result.visited) < limit:
        path, source = queue.popleft()
        response = await page.request.get(path, headers={"Accept": "text/html,*/*;q=0.8"}, max_redirects=5)
        result.visited[path] = response.status
        if response.status >= 400:
            result.dead.append(f"{path} → {response.status} (linked from {source})")
            continue
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(await response.text())
        final = urlsplit(response.url).path
        for href in parser.found:
            target = urlsplit(urljoin(f"{base.scheme}://{base.netloc}{final}", href))
            if target.scheme not in ("http", "https") or target.netloc != base.netloc:
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            shape = _pattern(link)
            if link in seen or shapes.get(shape, 0) >= per_shape:
                continue
            seen.add(link)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append((link, final))
    return result
