"""The daily jobs: erase accounts whose retention has passed, end due guardianships, forget expired
sessions, reset requests and idempotency keys.

Erasure is crypto-shredding: the person's key is destroyed (every sealed field in the event store
reads as erased), the projections lose their personal columns, credentials and sessions are
deleted, and `AccountErased` tells every other service to destroy its key too.
Run it daily: ``python -m identity.jobs`` or ``POST /api/v1/identity/admin/jobs/run`` (admins).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from identity.app import store
from identity.domain import account as domain
from identity.domain.account import Status
from identity.domain.events import GuardianshipEnded
from identity.readmodels.tables import (
    accounts,
    credentials,
    guardianships,
    login_failures,
    password_resets,
    refresh_tokens,
)
from teilhabe_kit import idempotency, sealing


@dataclass
class JobReport:
    erased: list[str] = field(default_factory=list)
    guardianships_ended: list[tuple[str, str]] = field(default_factory=list)
    forgotten: int = 0  # expired sessions, reset requests and idempotency keys removed


def failure_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


async def erase_account(conn: AsyncConnection, account_id: str, today: date) -> bool:
    state = await store.load(conn, account_id)
    events = domain.erase(state, today)
    if not events:
        return False
    await store.commit(conn, store.ACCOUNT, account_id, state.version, events, actor_id=None, state=state)
    wards = (
        await conn.execute(select(guardianships.c.ward_id).where(guardianships.c.guardian_id == account_id))
    ).scalars()
    for ward_id in list(wards):
        await store.decide_and_commit(conn, ward_id, lambda s: domain.end_guardianship(s, account_id), actor_id=None)
    await sealing.erase(conn, account_id)
    for table in (credentials, refresh_tokens, password_resets):
        await conn.execute(delete(table).where(table.c.account_id == account_id))
    await conn.execute(delete(login_failures).where(login_failures.c.key == failure_key("account", account_id)))
    return True


async def run_due_jobs(engine: AsyncEngine, today: date) -> JobReport:
    """Erase every account whose erasure date has come; end guardianships past the hand-over."""
    report = JobReport()
    async with engine.connect() as conn:
        due = (
            (
                await conn.execute(
                    select(accounts.c.id).where(accounts.c.erase_after <= today, accounts.c.status != Status.ERASED)
                )
            )
            .scalars()
            .all()
        )
        expired = (
            (await conn.execute(select(guardianships.c.ward_id).where(guardianships.c.acts_until <= today)))
            .scalars()
            .all()
        )
    for account_id in due:
        async with engine.begin() as conn:
            if await erase_account(conn, account_id, today):
                report.erased.append(account_id)
    for ward_id in sorted(set(expired)):
        async with engine.begin() as conn:
            state = await store.load(conn, ward_id)
            events = domain.expired_guardianships(state, today)
            await store.commit(conn, store.ACCOUNT, ward_id, state.version, events, actor_id=None, state=state)
            report.guardianships_ended += [
                (ward_id, ev.guardian_id) for ev in events if isinstance(ev, GuardianshipEnded)
            ]
    report.forgotten = await forget_expired(engine, today)
    return report


async def forget_expired(engine: AsyncEngine, today: date) -> int:
    """Data minimisation: drop refresh tokens and reset requests expired a day ago, old idempotency keys."""
    cutoff = datetime.combine(today - timedelta(days=1), time.min, UTC)
    async with engine.begin() as conn:
        removed = 0
        for table in (refresh_tokens, password_resets):
            removed += (await conn.execute(delete(table).where(table.c.expires_at < cutoff))).rowcount
        removed += await idempotency.purge_older_than(conn, cutoff - timedelta(days=6))
    return removed
