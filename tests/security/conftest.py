"""The security probes' platform: started once for this folder (see security_support)."""

from __future__ import annotations

import os

import pytest
from platform_support import running_platform
from security_support import SERVICES, SecuredPlatform, metrics_env, platform_env

from teilhabe_kit.testing import ensure_database


@pytest.fixture(scope="package")
async def security_platform(stack):
    names = [*SERVICES, "gateway"]
    saved = {f"DATABASE_URL_{n.upper()}": os.environ.get(f"DATABASE_URL_{n.upper()}") for n in names}
    for name in names:
        os.environ[f"DATABASE_URL_{name.upper()}"] = await ensure_database(f"security_{name}")
    env, ports = metrics_env(names)
    try:
        with running_platform(names, extra_env=platform_env() | env) as platform:
            yield SecuredPlatform(platform.urls, ports)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
