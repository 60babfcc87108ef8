"""A real gateway in front of a service under test, with its own database and the test's keys."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gateway.app import create_gateway_app
from gateway.settings import Settings as GatewaySettings
from teilhabe_kit.auth import TokenIssuer
from teilhabe_kit.testing import ensure_database, migrate, serve


@asynccontextmanager
async def gateway_in_front(database: str, issuer: TokenIssuer, **upstreams: str) -> AsyncIterator[str]:
    """Serve a gateway routing to `upstreams` (e.g. ``centres_url=…``); yields its base URL.

    `database` is private to the test module (the gateway's sessions and rate limits); the rate
    limit is set high so that a test's own calls are never refused by it.
    """
    url = await ensure_database(database)
    await migrate("gateway", url)
    settings = GatewaySettings(
        database_url=url,
        cookie_secure=False,
        jwks_json=json.dumps(issuer.jwks()),
        rate_per_minute=6000,
        rate_burst=1000,
        **upstreams,
    )
    async with serve(create_gateway_app(settings)) as base:
        yield base
