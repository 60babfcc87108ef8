"""Browser-test fixtures: the real platform (subprocesses) and one headless Chromium per session."""

from __future__ import annotations

import pytest
from browser_support import browser
from platform_support import running_platform

PLATFORM_SERVICES = ["gateway"]


@pytest.fixture(scope="session")
def web_platform(stack):
    with running_platform(PLATFORM_SERVICES) as platform:
        yield platform


@pytest.fixture(scope="session")
async def chromium():
    async with browser() as chromium:
        yield chromium
