"""Browser tests of the counseling-centre pages: identity, centres and the gateway as subprocesses
(no messaging: the tests fetch invitation links from identity as messaging would, with an admin
token) and one headless Chromium for the package."""

from __future__ import annotations

import pytest
from browser_support import browser
from platform_support import running_platform

TEST_ENV = {"GATEWAY_RATE_BURST": "2000", "GATEWAY_SENSITIVE_BURST": "300", "GATEWAY_SENSITIVE_PER_MINUTE": "300"}


@pytest.fixture(scope="package")
def centres_platform(stack):
    with running_platform(["identity", "centres", "gateway"], extra_env=TEST_ENV) as platform:
        yield platform


@pytest.fixture(scope="package")
async def chromium():
    async with browser() as chromium:
        yield chromium
