"""Sign-in: passwords, access tokens, rotating refresh tokens, throttling and password reset."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from identity import passwords
from identity.app import accounts as account_cases
from identity.app import store
from identity.app.erasure import failure_key
from identity.domain import events as e
from identity.domain.account import Status
from identity.domain.rules import ORGANISATION_ROLES
from identity.domain.sessions import RefreshOutcome, RefreshToken, check_refresh, retry_after
from identity.readmodels.tables import (
    accounts,
    credentials,
    guardianships,
    login_failures,
    password_resets,
    refresh_tokens,
)
from identity.settings import Settings
from teilhabe_kit.auth import Principal, TokenIssuer, Unauthenticated
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Problem, Unprocessable

WRONG_LOGIN = "E-Mail-Adresse, Telefonnummer oder Passwort stimmen nicht."


class TooManyAttempts(Problem):
    status = 429
    title = "Too many attempts"


class Gone(Problem):
    status = 410
    title = "Gone"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_in: int
    refresh_token: str
    account_id: str

    def body(self) -> dict:
        return {
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": self.refresh_token,
            "account_id": self.account_id,
        }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def principal_of(conn: AsyncConnection, account_id: str, now: datetime) -> Principal:
    row = (
        await conn.execute(select(accounts.c.role, accounts.c.organisation_id).where(accounts.c.id == account_id))
    ).one()
    wards = await conn.execute(
        select(guardianships.c.ward_id).where(
            guardianships.c.guardian_id == account_id, guardianships.c.acts_until > local_date(now)
        )
    )
    return Principal(
        account_id=account_id,
        roles=frozenset({row.role}),
        organisation_id=row.organisation_id if row.role in ORGANISATION_ROLES else None,
        acting_for=frozenset(wards.scalars()),
    )


async def _refuse_unless_may_log_in(conn: AsyncConnection, account_id: str) -> None:
    row = (
        await conn.execute(
            select(accounts.c.status, accounts.c.locked, accounts.c.erase_after).where(accounts.c.id == account_id)
        )
    ).one()
    if row.status == Status.ERASED or row.erase_after is not None:
        raise Unauthenticated(WRONG_LOGIN)
    if row.locked:
        raise Forbidden("Ihr Konto ist gesperrt. Bitte wenden Sie sich an den Kunden-Service.")
    if row.status == Status.REFUSED:
        raise Forbidden("Ihr Konto wurde nicht freigeschaltet. Bitte wenden Sie sich an den Kunden-Service.")
    if row.status != Status.ACTIVE:
        raise Forbidden("Ihr Konto ist noch nicht freigeschaltet. Der Kunden-Service meldet sich bei Ihnen.")


async def _issue(
    conn: AsyncConnection, issuer: TokenIssuer, settings: Settings, account_id: str, family_id: str, now: datetime
) -> Tokens:
    token_id, secret = uuid.uuid4().hex, secrets.token_urlsafe(32)
    await conn.execute(
        refresh_tokens.insert().values(
            id=token_id,
            family_id=family_id,
            account_id=account_id,
            token_hash=_digest(secret),
            created_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    principal = await principal_of(conn, account_id, now)
    return Tokens(issuer.issue(principal, now=now.timestamp()), issuer.ttl_seconds, f"{token_id}.{secret}", account_id)


async def _throttled(conn: AsyncConnection, keys: list[tuple[str, int]], settings: Settings, now: datetime) -> None:
    window = timedelta(seconds=settings.login_failure_window_seconds)
    for key, limit in keys:
        times = (
            (
                await conn.execute(
                    select(login_failures.c.failed_at).where(
                        login_failures.c.key == key, login_failures.c.failed_at > now - window
                    )
                )
            )
            .scalars()
            .all()
        )
        wait = retry_after(list(times), now, limit=limit, window=window)
        if wait is not None:
            raise TooManyAttempts(
                f"Zu viele Versuche. Bitte warten Sie {max(1, wait // 60)} Minuten und versuchen Sie es dann erneut."
            )


async def login(
    engine, issuer: TokenIssuer, settings: Settings, login_name: str, password: str, address: str, now: datetime
) -> Tokens:
    address_key = (failure_key("address", address), settings.login_failures_per_address)
    async with engine.begin() as conn:
        account_id = await account_cases.find_by_login(conn, login_name)
        keys = [address_key] + (
            [(failure_key("account", account_id), settings.login_failures_per_account)] if account_id else []
        )
        await _throttled(conn, keys, settings, now)
        password_hash = None
        if account_id:
            password_hash = await conn.scalar(
                select(credentials.c.password_hash).where(credentials.c.account_id == account_id)
            )
    if not await asyncio.to_thread(passwords.verify, password, password_hash):
        async with engine.begin() as conn:  # a failure is kept even though the request fails
            await conn.execute(login_failures.insert(), [{"key": k, "failed_at": now} for k, _ in keys])
            await conn.execute(delete(login_failures).where(login_failures.c.failed_at < now - timedelta(days=1)))
        raise Unauthenticated(WRONG_LOGIN)
    async with engine.begin() as conn:
        await _refuse_unless_may_log_in(conn, account_id)
        await conn.execute(delete(login_failures).where(login_failures.c.key == failure_key("account", account_id)))
        return await _issue(conn, issuer, settings, account_id, uuid.uuid4().hex, now)


async def reauthenticate(engine, settings: Settings, account_id: str, password: str, now: datetime) -> None:
    """Confirm the signed-in person's current password (before a signature); throttled like sign-in."""
    key = failure_key("account", account_id)
    async with engine.begin() as conn:
        await _throttled(conn, [(key, settings.login_failures_per_account)], settings, now)
        password_hash = await conn.scalar(
            select(credentials.c.password_hash).where(credentials.c.account_id == account_id)
        )
    if not await asyncio.to_thread(passwords.verify, password, password_hash):
        async with engine.begin() as conn:
            await conn.execute(login_failures.insert().values(key=key, failed_at=now))
        raise Unprocessable("Das Passwort stimmt nicht.", field="password")
    async with engine.begin() as conn:
        await _refuse_unless_may_log_in(conn, account_id)


async def _token_row(conn: AsyncConnection, refresh_token: str) -> RefreshToken:
    token_id, _, secret = refresh_token.partition(".")
    row = (await conn.execute(select(refresh_tokens).where(refresh_tokens.c.id == token_id).with_for_update())).first()
    if row is None or not secrets.compare_digest(row.token_hash, _digest(secret)):
        raise Unauthenticated("Die Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.")
    return RefreshToken(row.id, row.family_id, row.account_id, row.expires_at, row.rotated_at, row.revoked_at)


async def revoke_family(conn: AsyncConnection, family_id: str, now: datetime) -> None:
    await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def refresh(engine, issuer: TokenIssuer, settings: Settings, refresh_token: str, now: datetime) -> Tokens:
    """Rotate: the presented token is used up; presenting a used one again revokes its family."""
    async with engine.begin() as conn:
        token = await _token_row(conn, refresh_token)
        outcome = check_refresh(token, now)
        if outcome == RefreshOutcome.REUSED:
            await revoke_family(conn, token.family_id, now)
    if outcome != RefreshOutcome.ROTATE:
        raise Unauthenticated("Die Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.")
    async with engine.begin() as conn:
        token = await _token_row(conn, refresh_token)
        if check_refresh(token, now) != RefreshOutcome.ROTATE:
            raise Unauthenticated("Die Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.")
        await _refuse_unless_may_log_in(conn, token.account_id)
        await conn.execute(update(refresh_tokens).where(refresh_tokens.c.id == token.id).values(rotated_at=now))
        return await _issue(conn, issuer, settings, token.account_id, token.family_id, now)


async def logout(conn: AsyncConnection, refresh_token: str, now: datetime) -> None:
    token = await _token_row(conn, refresh_token)
    await revoke_family(conn, token.family_id, now)


async def request_reset(
    conn: AsyncConnection, account_id: str, settings: Settings, now: datetime, actor_id: str | None
) -> str:
    """Record a reset request and tell messaging (PasswordResetRequested carries only the request id)."""
    request_id = uuid.uuid4().hex
    await conn.execute(
        password_resets.insert().values(
            request_id=request_id,
            account_id=account_id,
            requested_at=now,
            expires_at=now + timedelta(minutes=settings.password_reset_minutes),
        )
    )
    await store.decide_and_commit(
        conn, account_id, lambda s: [e.PasswordResetRequested(request_id=request_id)], actor_id=actor_id
    )
    return request_id


RESETS_PER_HOUR = 3


async def request_reset_by_login(conn: AsyncConnection, login_name: str, settings: Settings, now: datetime) -> None:
    """Silently does nothing for unknown or unusable accounts (no hint whether an account exists)
    and beyond three requests an hour (nobody can flood a person's inbox)."""
    account_id = await account_cases.find_by_login(conn, login_name)
    if account_id is None:
        return
    recent = await conn.scalar(
        select(func.count())
        .select_from(password_resets)
        .where(password_resets.c.account_id == account_id, password_resets.c.requested_at > now - timedelta(hours=1))
    )
    if recent >= RESETS_PER_HOUR:
        return
    row = (
        await conn.execute(select(accounts.c.status, accounts.c.erase_after).where(accounts.c.id == account_id))
    ).one()
    if row.status in (Status.ACTIVE, Status.PENDING) and row.erase_after is None:
        await request_reset(conn, account_id, settings, now, actor_id=account_id)


async def deliver_reset(conn: AsyncConnection, request_id: str, settings: Settings, now: datetime) -> dict:
    """For messaging: create the one-time token now (only its hash is kept) and return the link once."""
    row = (
        await conn.execute(select(password_resets).where(password_resets.c.request_id == request_id).with_for_update())
    ).first()
    if row is None:
        raise NotFound("Diese Anfrage gibt es nicht.")
    if row.delivered_at is not None:
        raise Conflict("Der Link zu dieser Anfrage wurde schon abgeholt.")
    if row.expires_at <= now:
        raise Gone("Diese Anfrage ist abgelaufen.")
    secret = secrets.token_urlsafe(32)
    await conn.execute(
        update(password_resets)
        .where(password_resets.c.request_id == request_id)
        .values(token_hash=_digest(secret), delivered_at=now)
    )
    contact = (
        await conn.execute(select(accounts.c.email, accounts.c.phone).where(accounts.c.id == row.account_id))
    ).one()
    token = f"{request_id}.{secret}"
    return {
        "request_id": request_id,
        "account_id": row.account_id,
        "email": contact.email,
        "phone": contact.phone,
        "token": token,
        "link": f"{settings.password_reset_url}?token={token}",
        "expires_at": row.expires_at.isoformat(),
    }


async def confirm_reset(conn: AsyncConnection, token: str, new_password: str, now: datetime) -> str:
    request_id, _, secret = token.partition(".")
    row = (
        await conn.execute(select(password_resets).where(password_resets.c.request_id == request_id).with_for_update())
    ).first()
    if (
        row is None
        or row.token_hash is None
        or row.used_at is not None
        or row.expires_at <= now
        or not secrets.compare_digest(row.token_hash, _digest(secret))
    ):
        raise Unprocessable("Dieser Link ist nicht mehr gültig. Bitte fordern Sie einen neuen an.", field="token")
    who = (await conn.execute(select(accounts.c.name, accounts.c.email).where(accounts.c.id == row.account_id))).one()
    reason = passwords.weakness(new_password, who.name, who.email)
    if reason:
        raise Unprocessable(reason, field="password")
    await conn.execute(update(password_resets).where(password_resets.c.request_id == request_id).values(used_at=now))
    await set_password(conn, row.account_id, new_password, now)
    return row.account_id


async def set_password(conn: AsyncConnection, account_id: str, password: str, now: datetime) -> None:
    """Store a new hash and end every session of the account."""
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    await conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .values(password_hash=password_hash, changed_at=now)
    )
    await end_sessions(conn, account_id, now)


async def end_sessions(conn: AsyncConnection, account_id: str, now: datetime) -> None:
    """Revoke every refresh token of the account (access tokens expire on their own)."""
    await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.account_id == account_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
