"""Token buckets in PostgreSQL (shared by every gateway replica): one atomic upsert per request.

A bucket refills at `rate` tokens per second up to `burst`; a request takes one token. A refused
request still costs a token down to a floor of -1, so hammering never earns more waiting than two
tokens' worth.

Every request takes from its address's ordinary bucket. Sign-in, registration and password routes
take as well from a stricter bucket per address AND the login name, e-mail or one-time token the
request names, so many people behind one address (a facility, a care home) do not lock each other
out. Token refreshes take nothing while they succeed: only a refused refresh costs a token of the
address's stricter bucket, and an address that spent it is refused further refreshes for a while.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from gateway.door import client_address
from gateway.settings import Settings

SENSITIVE = re.compile(
    r"^/(api/v1/identity/.*(login|register|registration|password|refresh|token)"
    r"|anmelden$|registrieren/einwilligungen$|assistenz/registrieren$|passwort)",
    re.IGNORECASE,
)

REFRESH_PATH = "/api/v1/identity/auth/refresh"
SUBJECT_BODY_LIMIT = 16_384  # sign-in and password forms are small; a larger body is keyed by address only
LOGIN_FIELDS = ("login", "email")
TOKEN_FIELDS = ("token",)

_PEEK = text(
    """
    SELECT LEAST(:burst, tokens + EXTRACT(EPOCH FROM clock_timestamp() - updated_at) * :rate)
    FROM rate_buckets WHERE key = :key
    """
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
        return client_address(request, self._trust_forwarded)

    @staticmethod
    def is_sensitive(request: Request) -> bool:
        return request.method not in ("GET", "HEAD", "OPTIONS") and bool(SENSITIVE.match(request.url.path))

    @staticmethod
    def is_refresh(request: Request) -> bool:
        return request.method == "POST" and request.url.path == REFRESH_PATH

    async def take(self, request: Request) -> Verdict:
        """Take this request's tokens: the address's ordinary one, and for a sensitive route the
        stricter one of address and subject (refreshes: only look whether refused ones spent it)."""
        address = self.client_address(request)
        verdict = await self._take(self.normal, f"{self.normal.name}:{address}")
        if not verdict.allowed or not self.is_sensitive(request):
            return verdict
        if self.is_refresh(request):
            return await self._peek(self.sensitive, f"{self.sensitive.name}:{address}:")
        subject = await subject_of(request)
        return await self._take(self.sensitive, f"{self.sensitive.name}:{address}:{subject}")

    async def refused_refresh(self, request: Request) -> None:
        """A refresh that identity refused costs a token of the address's stricter bucket."""
        await self._take(self.sensitive, f"{self.sensitive.name}:{self.client_address(request)}:")

    async def _take(self, limit: Limit, key: str) -> Verdict:
        rate = limit.per_minute / 60
        async with self._engine.begin() as conn:
            tokens = (await conn.execute(_TAKE, {"key": key, "burst": limit.burst, "rate": rate})).scalar_one()
        return _verdict(tokens, rate)

    async def _peek(self, limit: Limit, key: str) -> Verdict:
        rate = limit.per_minute / 60
        async with self._engine.connect() as conn:
            tokens = await conn.scalar(_PEEK, {"key": key, "burst": limit.burst, "rate": rate})
        return Verdict(True) if tokens is None else _verdict(float(tokens) - 1, rate)

    async def purge_idle(self) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                text("DELETE FROM rate_buckets WHERE updated_at < clock_timestamp() - interval '1 hour'")
            )


def _verdict(tokens_left: float, rate: float) -> Verdict:
    if tokens_left >= 0:
        return Verdict(True)
    return Verdict(False, retry_after=max(1, math.ceil((1 - tokens_left) / rate)))


async def subject_of(request: Request) -> str:
    """Whom a sensitive request concerns: a digest (no personal data in the table) of the login name
    or e-mail it names, or of the one-time token it carries; empty when the body names none (then
    the address alone counts)."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > SUBJECT_BODY_LIMIT:
        return ""
    body = await request.body()  # BaseHTTPMiddleware hands the read body on to the route
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("application/json"):
            fields = json.loads(body)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            fields = dict(parse_qsl(body.decode()))
        else:
            return ""
    except ValueError:
        return ""
    if not isinstance(fields, dict):
        return ""
    for name in LOGIN_FIELDS:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return "login=" + _digest(value.strip().lower())
    for name in TOKEN_FIELDS:
        value = fields.get(name)
        if isinstance(value, str) and value:
            return "token=" + _digest(value)
    return ""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]
