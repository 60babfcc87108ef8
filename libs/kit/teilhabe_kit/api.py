"""What every service's routers share: the engine, the caller, the documented problems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from teilhabe_kit.auth import Principal, current_principal


def engine(request: Request) -> AsyncEngine:
    """The service's database engine (set up by `create_service_app`)."""
    found: AsyncEngine = request.app.state.engine
    return found


async def _engine(request: Request) -> AsyncEngine:
    return engine(request)  # a plain `def` dependency would run in a worker thread per request


Engine = Annotated[AsyncEngine, Depends(_engine)]
Caller = Annotated[Principal, Depends(current_principal)]
"""Any signed-in caller; the endpoint (or its use case) checks the role and the owner."""


def problems(
    *,
    forbidden: str = "wrong role",
    not_found: str = "no such thing, or not visible to the caller",
    conflict: str = "stale If-Match or concurrent change, or not possible in this state",
) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a router's endpoints in OpenAPI: the problems (RFC 9457) they answer with."""
    return {
        401: {"description": "not signed in"},
        403: {"description": forbidden},
        404: {"description": not_found},
        409: {"description": conflict},
        422: {"description": "bad input; `errors[].field` names the field"},
    }
