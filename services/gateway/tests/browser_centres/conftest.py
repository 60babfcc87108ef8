"""Browser tests of the counseling-centre pages: identity (on a database of its own), centres and the
gateway as subprocesses (no messaging: the tests fetch invitation links from identity as messaging
would, with an admin token) and one headless Chromium for the package."""

from __future__ import annotations

import uuid

import pytest
from browser_support import browser
from platform_support import running_platform

from teilhabe_kit.testing import ensure_database, migrate

TEST_ENV = {"GATEWAY_RATE_BURST": "2000", "GATEWAY_SENSITIVE_BURST": "300", "GATEWAY_SENSITIVE_PER_MINUTE": "300"}


@pytest.fixture(scope="package")
async def identity_database(stack) -> str:
    """Identity on a database of its own: a platform with messaging running elsewhere on the machine
    reads identity's real topic and would fetch this suite's one-time invitation links first."""
    url = await ensure_database("identity_centre_pages")
    await migrate("identity", url)
    return url


@pytest.fixture(scope="package")
def centres_platform(identity_database):
    # Its own consumer groups too: with its own database it must read centres' topic itself, never
    # share partitions with another identity of the run that has not yet left the group.
    env = TEST_ENV | {
        "DATABASE_URL_IDENTITY": identity_database,
        "IDENTITY_CONSUMER_GROUP_PREFIX": f"identity-centre-pages-{uuid.uuid4().hex[:8]}",
    }
    with running_platform(["identity", "centres", "gateway"], extra_env=env) as platform:
        yield platform


@pytest.fixture(scope="package")
async def chromium():
    async with browser() as chromium:
        yield chromium
