"""Idempotent creating POSTs: the `Idempotency-Key` header makes a retried request answer the same.

Most creations fit `once(engine, scope, key, body, create)`: it runs `create(conn)` in one
transaction and answers its JSON. Else use the parts inside the transaction that creates the thing::

    async with engine.begin() as conn:
        stored = await idempotency.claim(conn, scope, key, idempotency.fingerprint(body))
        if stored is not None:
            return stored.response()              # the first request's answer, nothing done twice
        ... create, append, outbox.record ...
        await idempotency.remember(conn, scope, key, 201, body_of_the_answer)

The claim inserts the key in the caller's transaction: a concurrent request with the same key
waits for it and then sees the stored answer; if the first transaction rolls back, nothing is
kept. The same key with a different request body is refused (422, field ``Idempotency-Key``).
Stored answers must carry no personal data (they are kept until `purge_older_than`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from teilhabe_kit import problem_texts as texts
from teilhabe_kit.problems import Conflict, Unprocessable
from teilhabe_kit.tables import idempotency_keys

HEADER = "Idempotency-Key"

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        min_length=8,
        max_length=200,
        pattern=r"^[A-Za-z0-9._:\-]+$",
        description="A unique value per intended creation (e.g. a UUID); a retry with the same key returns the first answer.",
    ),
]
"""FastAPI parameter type for the optional header."""


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: Any

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status_code, headers={"Idempotent-Replayed": "true"})


def fingerprint(body: Any) -> str:
    """A stable hash of the request body (JSON-serialisable; pydantic models are dumped first)."""
    if hasattr(body, "model_dump"):
        body = body.model_dump(mode="json")
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def claim(conn: AsyncConnection, scope: str, key: str, fingerprint_: str) -> StoredAnswer | None:
    """Reserve `key` in `scope` for this request; the stored answer when it was already handled."""
    inserted = await conn.scalar(
        insert(idempotency_keys)
        .values(scope=scope, key=key, fingerprint=fingerprint_)
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    if inserted is not None:
        return None
    row = (
        await conn.execute(
            select(idempotency_keys).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        )
    ).one()
    if row.fingerprint != fingerprint_:
        raise Unprocessable("This Idempotency-Key was already used for another request.", field=HEADER)
    if row.status_code is None:
        raise Conflict(texts.STILL_RUNNING)
    return StoredAnswer(row.status_code, row.response)


async def remember(conn: AsyncConnection, scope: str, key: str, status_code: int, body: Any) -> None:
    """Store the answer of the request that claimed `key` (same transaction as the claim)."""
    await conn.execute(
        idempotency_keys.update()
        .where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
        .values(status_code=status_code, response=body)
    )


async def once(
    engine: AsyncEngine,
    scope: str,
    key: str | None,
    body: Any,
    create: Callable[[AsyncConnection], Awaitable[Any]],
    *,
    status_code: int = 201,
) -> JSONResponse:
    """Run `create(conn)` in one transaction and answer what it returns (JSON) with `status_code`;
    with a `key`, a retry of the same `body` gets the first answer and creates nothing."""
    async with engine.begin() as conn:
        if key is not None:
            stored = await claim(conn, scope, key, fingerprint(body))
            if stored is not None:
                return stored.response()
        answer = await create(conn)
        if key is not None:
            await remember(conn, scope, key, status_code, answer)
    return JSONResponse(answer, status_code=status_code)


async def purge_older_than(conn: AsyncConnection, moment: datetime) -> int:
    """Forget keys created before `moment` (run periodically; clients retry within hours, not weeks)."""
    result = await conn.execute(delete(idempotency_keys).where(idempotency_keys.c.created_at < moment))
    return result.rowcount
