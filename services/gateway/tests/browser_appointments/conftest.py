"""Browser tests of the appointment pages: identity (sign-in), messaging (video rooms), appointments
and the gateway as subprocesses, one headless Chromium for the package."""

from __future__ import annotations

import pytest
from browser_support import browser
from platform_support import running_platform

TEST_ENV = {"GATEWAY_RATE_BURST": "2000"}


@pytest.fixture(scope="package")
def appointments_platform(stack):
    with running_platform(["identity", "messaging", "appointments", "gateway"], extra_env=TEST_ENV) as platform:
        yield platform


@pytest.fixture(scope="package")
async def chromium():
    async with browser() as chromium:
        yield chromium
