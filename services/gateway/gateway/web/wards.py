"""The people a signed-in guardian acts for: identity puts them in the token (`acting_for`, only
guardianships still running), their names and profiles come from identity's accounts API."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request

from gateway.tokens import principal_of, session_token
from gateway.web.api import get_json
from gateway.web.render import LoginRequired, session_of


async def wards(request: Request) -> list[dict[str, Any]]:
    """The guardian's wards (accounts, by name); [] for everyone who is not a guardian."""
    session = session_of(request)
    if "guardian" not in session.get("roles", []):
        return []
    token = await session_token(request, session, request.app.state.upstreams)
    if token is None:
        raise LoginRequired(request.url.path)
    ids = sorted((await principal_of(request, token)).acting_for)
    found = await asyncio.gather(*(get_json(request, "identity", f"/api/v1/identity/accounts/{i}") for i in ids))
    return sorted(found, key=lambda account: account.get("name") or "")
