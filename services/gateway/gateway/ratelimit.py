"""Token buckets in PostgreSQL (shared by every gateway replica): one atomic upsert per request.

A bucket refills at `rate` tokens per second up to `burst`; a request takes one token. A refused
request still costs a token down to a floor of -1, so hammering never earns more waiting than two
tokens' worth.

Every request takes from its address's ordinary bucket. Sign-in, registration and password routes
take as well from a stricter bucket per address AND the login name, e-mail or one-time token the
request names, so many people behind one address (a facility, a care home) do not lock each other
out. Token refreshes take nothing while they succeed: only a refused refresh costs a token of the
address's stricter bucket, and an address that spent it is refused further refreshes for a while.

The ordinary buckets are kept in memory between syncs (`LocalBuckets`): an address's first request
takes from the shared bucket (one statement) and seeds this replica's copy; later requests take
from the copy, and every `rate_sync_seconds` one statement for all active addresses subtracts what
this replica took from the shared buckets and brings back the level all replicas left. A copy not
synced within two intervals is dropped, so the shared bucket decides again. Replicas may together
admit a little more than the limit within one interval (each one at most the level it last saw);
the stricter buckets of sign-in, registration and password routes stay exact, one statement per
request. One statement per request cost the gateway about a fifth of its CPU per proxied call.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
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


_TAKE_MANY = text(
    """
    INSERT INTO rate_buckets AS b (key, tokens, updated_at)
    SELECT key, :burst - taken, clock_timestamp()
    FROM unnest(CAST(:keys AS text[]), CAST(:taken AS integer[])) AS t(key, taken)
    ON CONFLICT (key) DO UPDATE SET
      tokens = GREATEST(-1, LEAST(:burst, b.tokens
               + EXTRACT(EPOCH FROM clock_timestamp() - b.updated_at) * :rate) - (:burst - EXCLUDED.tokens)),
      updated_at = clock_timestamp()
    RETURNING key, tokens
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


@dataclass
class _Copy:
    """This replica's copy of one shared bucket: its level, when it was last brought in line with
    the shared one, and what was taken here since."""

    tokens: float
    at: float
    synced_at: float
    taken: int = 0


class LocalBuckets:
    """Copies of the shared buckets of one limit, taken from in memory (see the module docstring)."""

    def __init__(self, limit: Limit, sync_seconds: float) -> None:
        self.limit = limit
        self.sync_seconds = sync_seconds
        self._copies: dict[str, _Copy] = {}

    @property
    def rate(self) -> float:
        return self.limit.per_minute / 60

    def take(self, key: str, now: float) -> float | None:
        """Tokens left after taking one from the copy, or None when there is no fresh copy."""
        copy = self._copies.get(key)
        if copy is None or now - copy.synced_at > 2 * self.sync_seconds:
            return None
        copy.tokens = max(-1.0, min(self.limit.burst, copy.tokens + (now - copy.at) * self.rate) - 1)
        copy.at = now
        copy.taken += 1
        return copy.tokens

    def seed(self, key: str, tokens: float, now: float) -> None:
        """The shared bucket's level right after this request took from it."""
        self._copies[key] = _Copy(tokens, now, now)

    def pending(self) -> dict[str, int]:
        """What was taken here since the last sync (and forget it: it is being sent)."""
        taken = {key: copy.taken for key, copy in self._copies.items() if copy.taken}
        for key in taken:
            self._copies[key].taken = 0
        return taken

    def restore(self, taken: dict[str, int]) -> None:
        """A sync that failed: what it carried is sent with the next one."""
        for key, count in taken.items():
            if copy := self._copies.get(key):
                copy.taken += count

    def synced(self, levels: dict[str, float], now: float) -> None:
        """The shared levels after the sync; what was taken here meanwhile stays subtracted."""
        for key, tokens in levels.items():
            if copy := self._copies.get(key):
                copy.tokens, copy.at, copy.synced_at = float(tokens) - copy.taken, now, now
        stale = [k for k, c in self._copies.items() if not c.taken and now - c.synced_at > 2 * self.sync_seconds]
        for key in stale:
            del self._copies[key]


class RateLimiter:
    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        self._engine = engine
        self._trust_forwarded = settings.trust_forwarded_for
        self.normal = Limit("all", settings.rate_per_minute, settings.rate_burst)
        self.sensitive = Limit("auth", settings.sensitive_per_minute, settings.sensitive_burst)
        self.copies = LocalBuckets(self.normal, settings.rate_sync_seconds)

    def client_address(self, request: Request) -> str:
        return client_address(request, self._trust_forwarded)

    @staticmethod
    def is_sensitive(request: Request) -> bool:
        return request.method not in ("GET", "HEAD", "OPTIONS") and bool(SENSITIVE.match(request.url.path))

    @staticmethod
    def is_refresh(request: Request) -> bool:
        return request.method == "POST" and request.url.path == REFRESH_PATH

    async def take(self, request: Request, body: bytes = b"") -> Verdict:
        """Take this request's tokens: the address's ordinary one, and for a sensitive route the
        stricter one of address and subject named in `body` (refreshes: only look whether refused
        ones spent it)."""
        address = self.client_address(request)
        verdict = await self._take_ordinary(f"{self.normal.name}:{address}")
        if not verdict.allowed or not self.is_sensitive(request):
            return verdict
        if self.is_refresh(request):
            return await self._peek(self.sensitive, f"{self.sensitive.name}:{address}:")
        subject = subject_of(request.headers.get("content-type", ""), body)
        return await self._take(self.sensitive, f"{self.sensitive.name}:{address}:{subject}")

    def wants_body(self, request: Request) -> bool:
        """Whether `take` needs the request's body: a sensitive route's small body names its subject."""
        length = request.headers.get("content-length", "")
        return (
            self.is_sensitive(request)
            and not self.is_refresh(request)
            and length.isdigit()
            and int(length) <= SUBJECT_BODY_LIMIT
        )

    async def _take_ordinary(self, key: str) -> Verdict:
        now = time.monotonic()
        tokens = self.copies.take(key, now)
        if tokens is not None:
            return _verdict(tokens, self.copies.rate)
        rate = self.normal.per_minute / 60
        async with self._engine.begin() as conn:
            shared = (await conn.execute(_TAKE, {"key": key, "burst": self.normal.burst, "rate": rate})).scalar_one()
        self.copies.seed(key, float(shared), now)
        return _verdict(shared, rate)

    async def sync(self) -> None:
        """Send what this replica took from the ordinary buckets since the last sync; take back the
        levels all replicas left (one statement)."""
        taken = self.copies.pending()
        levels: dict[str, float] = {}
        if taken:
            params = {"keys": list(taken), "taken": list(taken.values()), "burst": self.normal.burst}
            try:
                async with self._engine.begin() as conn:
                    rows = await conn.execute(_TAKE_MANY, params | {"rate": self.copies.rate})
                    levels = {row.key: float(row.tokens) for row in rows}
            except Exception:
                self.copies.restore(taken)
                raise
        self.copies.synced(levels, time.monotonic())

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


def subject_of(content_type: str, body: bytes) -> str:
    """Whom a sensitive request concerns: a digest (no personal data in the table) of the login name
    or e-mail its body names, or of the one-time token it carries; empty when the body names none
    (then the address alone counts)."""
    if not body:
        return ""
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
