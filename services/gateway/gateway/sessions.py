"""Web sessions held server-side: the cookie carries a random id only (HttpOnly, Secure, Lax).

The session's data (access and refresh tokens, CSRF token, language, wizard drafts) is sealed
with AES-GCM under a key derived from the gateway's secret and stored in the `gateway` database,
keyed by a hash of the cookie value; JavaScript never sees a token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from gateway.tables import web_sessions

COOKIE = "teilhabe_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
ANONYMOUS_LIFETIME = timedelta(days=1)
"""Visitors who never sign in keep their language, font size and drafts for a day."""


@dataclass
class WebSession:
    """One browser's session; `changed` marks it for saving at the end of the request."""

    cookie: str
    data: dict[str, Any] = field(default_factory=dict)
    new: bool = False
    changed: bool = False

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.changed = True

    def pop(self, key: str) -> Any:
        self.changed = self.changed or key in self.data
        return self.data.pop(key, None)

    @property
    def csrf(self) -> str:
        if "csrf" not in self.data:
            self.set("csrf", secrets.token_urlsafe(32))
        return self.data["csrf"]

    def csrf_ok(self, presented: str | None) -> bool:
        expected = self.data.get("csrf")
        if not expected or not presented:
            return False
        return hmac.compare_digest(expected, presented)

    @property
    def signed_in(self) -> bool:
        return bool(self.data.get("access_token"))

    def sign_in(self, tokens: dict[str, Any], account_id: str, roles: list[str]) -> None:
        """Keep the tokens; a new CSRF token and a new session id guard against fixation."""
        keep = {k: self.data[k] for k in ("lang", "font") if k in self.data}
        self.data = keep | {
            "access_token": tokens["access_token"],
            "refresh_token": tokens.get("refresh_token"),
            "account_id": account_id,
            "roles": roles,
        }
        self.cookie = secrets.token_urlsafe(32)
        self.new = self.changed = True

    def sign_out(self) -> None:
        keep: dict[str, Any] = {k: self.data[k] for k in ("lang", "font") if k in self.data}
        self.data = keep
        self.cookie = secrets.token_urlsafe(32)
        self.new = self.changed = True


class SessionStore:
    def __init__(self, engine: AsyncEngine, secret: str, days: int) -> None:
        self._engine = engine
        self._key = hashlib.sha256(b"teilhabe-gateway-session\0" + secret.encode()).digest()
        self._lifetime = timedelta(days=days)

    @staticmethod
    def _hash(cookie: str) -> str:
        return hashlib.sha256(cookie.encode()).hexdigest()

    def _seal(self, data: dict[str, Any], aad: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self._key).encrypt(nonce, json.dumps(data).encode(), aad)

    def _unseal(self, blob: bytes, aad: bytes) -> dict[str, Any]:
        return json.loads(AESGCM(self._key).decrypt(blob[:12], blob[12:], aad))

    def seal(self, data: dict[str, Any], aad: bytes) -> bytes:
        """Seal other data kept in the gateway's database (e.g. a calendar feed) with the session key."""
        return self._seal(data, aad)

    def unseal(self, blob: bytes, aad: bytes) -> dict[str, Any]:
        return self._unseal(blob, aad)

    async def load(self, request: Request) -> WebSession:
        cookie = request.cookies.get(COOKIE)
        if cookie and len(cookie) < 100:
            id_hash = self._hash(cookie)
            async with self._engine.connect() as conn:
                row = (
                    await conn.execute(
                        select(web_sessions.c.data).where(
                            web_sessions.c.id_hash == id_hash,
                            web_sessions.c.expires_at > datetime.now(UTC),
                        )
                    )
                ).first()
            if row is not None:
                return WebSession(cookie=cookie, data=self._unseal(row.data, id_hash.encode()))
        return WebSession(cookie=secrets.token_urlsafe(32), new=True)

    async def save(self, session: WebSession, previous_cookie: str | None) -> None:
        id_hash = self._hash(session.cookie)
        lifetime = self._lifetime if session.signed_in else ANONYMOUS_LIFETIME
        row = {
            "id_hash": id_hash,
            "data": self._seal(session.data, id_hash.encode()),
            "expires_at": datetime.now(UTC) + lifetime,
        }
        async with self._engine.begin() as conn:
            if previous_cookie and previous_cookie != session.cookie:
                await conn.execute(delete(web_sessions).where(web_sessions.c.id_hash == self._hash(previous_cookie)))
            await conn.execute(
                insert(web_sessions)
                .values(row)
                .on_conflict_do_update(
                    index_elements=["id_hash"], set_={"data": row["data"], "expires_at": row["expires_at"]}
                )
            )

    async def purge_expired(self) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= datetime.now(UTC)))
        return result.rowcount
