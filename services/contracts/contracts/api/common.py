"""What every router of the service shares: engine, settings, idempotent creation, uploads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.settings import Settings
from teilhabe_kit import idempotency
from teilhabe_kit.api import engine
from teilhabe_kit.auth import Principal

PREFIX = "/api/v1/contracts"


def settings(request: Request) -> Settings:
    return request.app.state.settings


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The upload's bytes, reading at most one byte past the limit (the check then refuses it)."""
    return await file.read(limit + 1)


async def create_once(
    request: Request,
    principal: Principal,
    key: str | None,
    scope: str,
    body: Any,
    create: Callable[[AsyncConnection], Awaitable[dict]],
) -> JSONResponse:
    """Run `create` in one transaction; with an Idempotency-Key a retry gets the first answer."""
    return await idempotency.once(engine(request), f"contracts:{scope}:{principal.account_id}", key, body, create)
