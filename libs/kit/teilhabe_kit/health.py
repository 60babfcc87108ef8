"""`/health/live` (the process answers) and `/health/ready` (database and broker reachable, and the
revoked accounts read up to date where the app verifies tokens).

A service adds checks of its own to `app.state.readiness` (name → async function returning a dict
with `state` "up" or "down" and any figures, e.g. matching's index lag): the state joins `checks`,
the whole dict is shown under `details`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from teilhabe_kit.problems import problem_response

router = APIRouter(tags=["health"])

CHECK_TIMEOUT_SECONDS = 2.0

Check = Callable[[], Awaitable[dict[str, object]]]


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "live"}


async def _database_ok(request: Request) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            async with request.app.state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _broker_ok(request: Request) -> bool:
    try:
        return bool(await request.app.state.broker.ping(timeout=CHECK_TIMEOUT_SECONDS))
    except Exception:
        return False


@router.get("/health/ready")
async def ready(request: Request) -> JSONResponse:
    database, broker = await asyncio.gather(_database_ok(request), _broker_ok(request))
    checks = {"database": "up" if database else "down", "kafka": "up" if broker else "down"}
    revocations = getattr(request.app.state, "revocations", None)
    if revocations is not None:
        checks["revocations"] = "up" if revocations.caught_up.is_set() else "down"
    details: dict[str, dict[str, object]] = {}
    own: dict[str, Check] = getattr(request.app.state, "readiness", {})
    for name, check in own.items():
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                details[name] = await check()
        except Exception as error:
            details[name] = {"state": "down", "error": type(error).__name__}
        checks[name] = str(details[name]["state"])
    if all(state == "up" for state in checks.values()):
        return JSONResponse({"status": "ready", "checks": checks} | ({"details": details} if details else {}))
    down = ", ".join(
        f"{name} {details[name]}" if name in details else name for name, state in checks.items() if state == "down"
    )
    response = problem_response(503, "Not ready", f"not ready: {down}")
    response.headers["Retry-After"] = "5"
    return response
