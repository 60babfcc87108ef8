"""Browser-test fixtures: the real platform (subprocesses) and one headless Chromium per session."""

from __future__ import annotations

import pytest
from browser_support import browser
from platform_support import running_platform

# every browser of the suite comes from 127.0.0.1 (and the bucket in the gateway's database is shared
# with any other run on the machine): room for the whole suite; test_gateway.py proves the limits
TEST_ENV = {
    "GATEWAY_RATE_BURST": "2000",
    "GATEWAY_SENSITIVE_BURST": "300",
    "GATEWAY_SENSITIVE_PER_MINUTE": "300",
    "MESSAGING_WALK_IN_PER_ADDRESS": "2000",
}
PLATFORM_SERVICES = [
    "identity",
    "orders",
    "matching",
    "messaging",
    "contracts",
    "centres",
    "counseling",
    "appointments",
    "gateway",
]


@pytest.fixture(scope="package")
def web_platform(stack):
    """Up for this folder's tests only: other suites later in the run start the same services'
    consumers in-process, and two members of one consumer group would split the partitions."""
    with running_platform(PLATFORM_SERVICES, extra_env=TEST_ENV) as platform:
        yield platform


@pytest.fixture(scope="package")
async def chromium():
    async with browser() as chromium:
        yield chromium
