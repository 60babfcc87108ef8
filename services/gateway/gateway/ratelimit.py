"""Token buckets in PostgreSQL (shared by every gateway replica): one atomic upsert per request.

A bucket refills at `rate` tokens per second up to `burst`; a request takes one token. A refused
request still costs a token down to a floor of -1, so hammering never earns more waiting than two
tokens' worth.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from gateway.settings import Settings

SENSITIVE = re.compile(
    r"^/(api/v1/identity/.*(login|register|registration|password|refresh|token)"
    r"|anmelden$|registrieren/einwilligungen$|assistenz/registrieren$|passwort)",
    re.IGNORECASE,
)

_TAKE = text(
    """
    INSERT INTO rate_buckets AS b (key, tokens, updated_at)
    VALUES (:key, :burst - 1, clock_timestamp())
    ON CONFLICT (key) DO UPDATE SET
      tokens = GREATEST(-1, LEAST(:burst, b.tokens
               + EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at) * :rate) - 1),
      updated_at = clock_timestamp()
    RETURNING tokens
    """
)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


@dataclass(frozen=True)
class Limit:
    name: str
    per_minute: float
    burst: float


class RateLimiter:
    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        self._engine = engine
        self._trust_forwarded = settings.trust_forwarded_for
        self.normal = Limit("all", settings.rate_per_minute, settings.rate_burst)
        self.sensitive = Limit("auth", settings.sensitive_per_minute, settings.sensitive_burst)

    def client_address(self, request: Request) -> str:
        forwarded = request.headers.get("X-Forwarded-For", "") if self._trust_forwarded else ""
        if forwarded:
            return forwarded.split(",")[0].strip()
        return request.client.host if request.client else "unknown"

    def limit_for(self, request: Request) -> Limit:
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        return self.sensitive if unsafe and SENSITIVE.match(request.url.path) else self.normal

    async def take(self, request: Request) -> Verdict:
        limit = self.limit_for(request)
        rate = limit.per_minute / 60
        key = f"{limit.name}:{self.client_address(request)}"
        async with self._engine.begin() as conn:
            tokens = (await conn.execute(_TAKE, {"key": key, "burst": limit.burst, "rate": rate})).scalar_one()
        if tokens >= 0:
            return Verdict(True)
        return Verdict(False, retry_after=max(1, math.ceil((1 - tokens) / rate)))

    async def purge_idle(self) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM rate_buckets WHERE updated_at < clock_timestamp() - interval '1 hour'")
            )
