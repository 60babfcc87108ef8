"""Sign-in: passwords, access tokens, rotating refresh tokens, throttling and password reset."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from identity import passwords
from identity.app import accounts as account_cases
from identity.app import clients, staff, store
from identity.app.erasure import failure_key
from identity.domain import events as e
from identity.domain.account import Status
from identity.domain.clients import login_name as login_name_of
from identity.domain.rules import INTERESTED_PERSONS_CREATOR, ORGANISATION_ROLES
from identity.domain.sessions import RefreshOutcome, RefreshToken, check_refresh, minutes_to_wait, retry_after
from identity.domain.staff import CENTRE_ROLES
from identity.readmodels.tables import (
    accounts,
    centre_staff,
    credentials,
    guardianships,
    login_failures,
    organisations,
    password_resets,
    refresh_tokens,
)
from identity.settings import Settings
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit.auth import Principal, Role, TokenIssuer, Unauthenticated
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Problem, Unprocessable

WRONG_LOGIN = "E-Mail-Adresse, Telefonnummer oder Passwort stimmen nicht."


class TooManyAttempts(Problem):
    status = 429
    title = "Too many attempts"


class MarkedForDeletion(Problem):
    """Sign-in with the right password to an account whose deletion was asked for (only after the
    password matched, so nobody learns this about someone else's login name)."""

    status = 403

    def __init__(self, erase_after: date) -> None:
        last_day = erase_after - timedelta(days=1)
        super().__init__(
            f"Ihr Konto ist zur Löschung vorgemerkt und wird am {erase_after:%d.%m.%Y} endgültig gelöscht. "
            f"Bis einschließlich {last_day:%d.%m.%Y} kann der Kunden-Service die Löschung rückgängig machen: "
            "Bitte wenden Sie sich an den Kunden-Service, wenn Sie Ihr Konto behalten möchten.",
        )
        self.erase_after = erase_after


class Gone(Problem):
    status = 410
    title = "Gone"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_in: int
    refresh_token: str
    account_id: str
    must_change_password: bool = False

    def body(self) -> dict:
        return {
            "must_change_password": self.must_change_password,
            "access_token": self.access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "refresh_token": self.refresh_token,
            "account_id": self.account_id,
        }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def principal_of(
    conn: AsyncConnection, account_id: str, now: datetime, centre_id: str | None = None
) -> Principal:
    """Who the account is in a token. Staff of counseling centres act for one centre at a time:
    `centre_id` if they work there, else their first centre; the role is their role there."""
    row = (
        await conn.execute(
            select(accounts.c.role, accounts.c.organisation_id, accounts.c.status, accounts.c.created_by).where(
                accounts.c.id == account_id
            )
        )
    ).one()
    wards = await conn.execute(
        select(guardianships.c.ward_id).where(
            guardianships.c.guardian_id == account_id, guardianships.c.acts_until > local_date(now)
        )
    )
    roles = frozenset({Role.APPLICANT if _enrollment_only(row) else row.role})
    organisation_id = row.organisation_id if row.role in ORGANISATION_ROLES else None
    if row.role in CENTRE_ROLES and (centres := await staff.joined_centres(conn, account_id)):
        chosen = next((c for c in centres if c.centre_id == centre_id), centres[0])
        roles, organisation_id = frozenset({chosen.role}), chosen.centre_id
    elif row.role == AccountRole.CENTRE_ADMIN or (row.role == AccountRole.COUNSELOR and organisation_id is None):
        raise Forbidden("Sie gehören zu keinem Team einer Beratungsstelle (mehr).")
    return Principal(
        account_id=account_id,
        roles=roles,
        organisation_id=organisation_id,
        acting_for=frozenset(wards.scalars()),
    )


def _enrollment_only(row) -> bool:
    """An interested person whom contracts registered, not yet verified (see INTERESTED_PERSONS_CREATOR)."""
    return row.status == Status.PENDING and row.created_by == INTERESTED_PERSONS_CREATOR


async def _refuse_unless_may_log_in(conn: AsyncConnection, account_id: str) -> None:
    row = (
        await conn.execute(
            select(accounts.c.status, accounts.c.locked, accounts.c.erase_after, accounts.c.created_by).where(
                accounts.c.id == account_id
            )
        )
    ).one()
    if row.status == Status.ERASED:
        raise Unauthenticated(WRONG_LOGIN)
    if row.erase_after is not None:
        raise MarkedForDeletion(row.erase_after)
    if row.locked:
        raise Forbidden("Ihr Konto ist gesperrt. Bitte wenden Sie sich an den Kunden-Service.")
    if row.status == Status.REFUSED:
        raise Forbidden("Ihr Konto wurde nicht freigeschaltet. Bitte wenden Sie sich an den Kunden-Service.")
    if row.status != Status.ACTIVE and not _enrollment_only(row):
        raise Forbidden("Ihr Konto ist noch nicht freigeschaltet. Der Kunden-Service meldet sich bei Ihnen.")


async def _issue(
    conn: AsyncConnection,
    issuer: TokenIssuer,
    settings: Settings,
    account_id: str,
    family_id: str,
    now: datetime,
    centre_id: str | None = None,
) -> Tokens:
    token_id, secret = uuid.uuid4().hex, secrets.token_urlsafe(32)
    principal = await principal_of(conn, account_id, now, centre_id)
    await conn.execute(
        refresh_tokens.insert().values(
            id=token_id,
            family_id=family_id,
            account_id=account_id,
            token_hash=_digest(secret),
            created_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
            centre_id=principal.organisation_id
            if principal.organisation_id and CENTRE_ROLES & principal.roles
            else None,
        )
    )
    must_change = bool(
        await conn.scalar(select(credentials.c.must_change).where(credentials.c.account_id == account_id))
    )
    return Tokens(
        issuer.issue(principal, now=now.timestamp()),
        issuer.ttl_seconds,
        f"{token_id}.{secret}",
        account_id,
        must_change,
    )


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
                f"Zu viele Versuche. Bitte warten Sie {minutes_to_wait(wait)} Minuten und versuchen Sie es dann erneut."
            )


async def _works_for(conn: AsyncConnection, account_id: str, centre_id: str | None) -> None:
    """A chosen centre must be one of the account's (422 naming `centre_id` otherwise)."""
    if centre_id is not None and centre_id not in {c.centre_id for c in await staff.joined_centres(conn, account_id)}:
        raise Unprocessable("Sie gehören nicht zum Team dieser Beratungsstelle.", field="centre_id")


async def login(
    engine,
    issuer: TokenIssuer,
    settings: Settings,
    login_name: str,
    password: str,
    address: str,
    now: datetime,
    centre_id: str | None = None,
    *,
    client_of: str | None = None,
) -> Tokens:
    """Sign in by e-mail address or phone number, or (`client_of` a centre) a client by pseudonym."""
    address_key = (failure_key("address", address), settings.login_failures_per_address)
    if client_of is not None:
        login_name = f"{client_of}:{login_name_of(login_name)}"
    async with engine.begin() as conn:
        if client_of is not None:
            account_id = await clients.find(conn, client_of, login_name.partition(":")[2])
        else:
            account_id = await account_cases.find_by_login(conn, login_name)
        # the name tried counts whether an account has it or not: the lockout tells nothing
        keys = [address_key, (failure_key("login", login_name), settings.login_failures_per_account)]
        if account_id:
            keys.append((failure_key("account", account_id), settings.login_failures_per_account))
        await _throttled(conn, keys, settings, now)
        password_hash = None
        if account_id:
            password_hash = await conn.scalar(
                select(credentials.c.password_hash).where(credentials.c.account_id == account_id)
            )
    verified = await asyncio.to_thread(passwords.verify, password, password_hash)  # also without an account
    if not verified or account_id is None:
        async with engine.begin() as conn:  # a failure is kept even though the request fails
            await conn.execute(login_failures.insert(), [{"key": k, "failed_at": now} for k, _ in keys])
            await conn.execute(delete(login_failures).where(login_failures.c.failed_at < now - timedelta(days=1)))
        raise Unauthenticated(WRONG_LOGIN)
    async with engine.begin() as conn:
        await _refuse_unless_may_log_in(conn, account_id)
        signed_in = [failure_key("account", account_id), failure_key("login", login_name)]
        await conn.execute(delete(login_failures).where(login_failures.c.key.in_(signed_in)))
        await _works_for(conn, account_id, centre_id)
        return await _issue(conn, issuer, settings, account_id, uuid.uuid4().hex, now, centre_id)


async def _token_row(conn: AsyncConnection, refresh_token: str) -> RefreshToken:
    token_id, _, secret = refresh_token.partition(".")
    row = (await conn.execute(select(refresh_tokens).where(refresh_tokens.c.id == token_id).with_for_update())).first()
    if row is None or not secrets.compare_digest(row.token_hash, _digest(secret)):
        raise Unauthenticated("Die Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.")
    return RefreshToken(
        row.id, row.family_id, row.account_id, row.expires_at, row.rotated_at, row.revoked_at, row.centre_id
    )


async def revoke_family(conn: AsyncConnection, family_id: str, now: datetime) -> None:
    await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def refresh(
    engine, issuer: TokenIssuer, settings: Settings, refresh_token: str, now: datetime, centre_id: str | None = None
) -> Tokens:
    """Rotate: the presented token is used up; presenting a used one again revokes its family.
    With `centre_id`, the new token acts for that centre (staff of several centres switch so)."""
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
        await _works_for(conn, token.account_id, centre_id)
        await conn.execute(update(refresh_tokens).where(refresh_tokens.c.id == token.id).values(rotated_at=now))
        return await _issue(
            conn, issuer, settings, token.account_id, token.family_id, now, centre_id or token.centre_id
        )


async def logout(conn: AsyncConnection, refresh_token: str, now: datetime) -> None:
    token = await _token_row(conn, refresh_token)
    await revoke_family(conn, token.family_id, now)


async def request_reset(
    conn: AsyncConnection,
    account_id: str,
    settings: Settings,
    now: datetime,
    actor_id: str | None,
    *,
    repeated_registration: bool = False,
) -> str:
    """Record a reset request and tell messaging (PasswordResetRequested carries only the request id).
    A welcome link (someone else opened the account) stays valid longer than a reset the person asked for."""
    request_id = uuid.uuid4().hex
    welcome = actor_id not in (None, account_id)
    valid = (
        timedelta(hours=settings.welcome_link_hours) if welcome else timedelta(minutes=settings.password_reset_minutes)
    )
    await conn.execute(
        password_resets.insert().values(
            request_id=request_id,
            account_id=account_id,
            requested_at=now,
            expires_at=now + valid,
        )
    )
    await store.decide_and_commit(
        conn,
        account_id,
        lambda s: [e.PasswordResetRequested(request_id=request_id, repeated_registration=repeated_registration)],
        actor_id=actor_id,
    )
    return request_id


RESETS_PER_HOUR = 3
PASSWORD = "password"


async def request_reset_by_login(conn: AsyncConnection, login_name: str, settings: Settings, now: datetime) -> None:
    """Silently does nothing for unknown or unusable accounts (no hint whether an account exists)
    and beyond three requests an hour (nobody can flood a person's inbox)."""
    account_id = await account_cases.find_by_login(conn, login_name)
    if account_id is not None and await may_send_reset(conn, account_id, now):
        await request_reset(conn, account_id, settings, now, actor_id=account_id)


async def may_send_reset(conn: AsyncConnection, account_id: str, now: datetime) -> bool:
    """A usable account that got fewer than three reset messages in the last hour."""
    recent = await conn.execute(
        select(func.count())
        .select_from(password_resets)
        .where(
            password_resets.c.account_id == account_id,
            password_resets.c.requested_at > now - timedelta(hours=1),
            password_resets.c.purpose == PASSWORD,
        )
    )
    if recent.scalar_one() >= RESETS_PER_HOUR:
        return False
    row = (
        await conn.execute(select(accounts.c.status, accounts.c.erase_after).where(accounts.c.id == account_id))
    ).one()
    return row.status in (Status.ACTIVE, Status.PENDING) and row.erase_after is None


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
    base = settings.invitation_url if row.purpose == staff.INVITATION else settings.password_reset_url
    return {
        "request_id": request_id,
        "account_id": row.account_id,
        "email": contact.email,
        "phone": contact.phone,
        "token": token,
        "link": f"{base}?token={token}",
        "expires_at": row.expires_at.isoformat(),
    }


async def _valid_link(conn: AsyncConnection, token: str, purpose: str, now: datetime):
    """The unused, unexpired one-time link row of `token` (locked), else 422 naming `token`."""
    request_id, _, secret = token.partition(".")
    row = (
        await conn.execute(select(password_resets).where(password_resets.c.request_id == request_id).with_for_update())
    ).first()
    if (
        row is None
        or row.purpose != purpose
        or row.token_hash is None
        or row.used_at is not None
        or row.expires_at <= now
        or not secrets.compare_digest(row.token_hash, _digest(secret))
    ):
        raise Unprocessable("Dieser Link ist nicht mehr gültig. Bitte fordern Sie einen neuen an.", field="token")
    return row


async def _check_strength(conn: AsyncConnection, account_id: str, password: str) -> None:
    who = (await conn.execute(select(accounts.c.name, accounts.c.email).where(accounts.c.id == account_id))).one()
    reason = passwords.weakness(password, who.name, who.email)
    if reason:
        raise Unprocessable(reason, field="password")


async def confirm_reset(conn: AsyncConnection, token: str, new_password: str, now: datetime) -> str:
    row = await _valid_link(conn, token, PASSWORD, now)
    await _check_strength(conn, row.account_id, new_password)
    await conn.execute(
        update(password_resets).where(password_resets.c.request_id == row.request_id).values(used_at=now)
    )
    await set_password(conn, row.account_id, new_password, now)
    return row.account_id


async def has_password(conn: AsyncConnection, account_id: str) -> bool:
    stored = await conn.scalar(select(credentials.c.password_hash).where(credentials.c.account_id == account_id))
    return stored is not None


async def invitation(conn: AsyncConnection, token: str, now: datetime) -> dict:
    """What an invitation link offers: the centre, the role and whether a password must be set."""
    row = await _valid_link(conn, token, staff.INVITATION, now)
    member = (
        await conn.execute(
            select(centre_staff.c.centre_id, centre_staff.c.role, organisations.c.name)
            .join(organisations, organisations.c.id == centre_staff.c.centre_id)
            .where(centre_staff.c.invitation_id == row.request_id, centre_staff.c.account_id == row.account_id)
        )
    ).first()
    if member is None:  # withdrawn meanwhile
        raise Unprocessable("Diese Einladung gilt nicht mehr. Bitte lassen Sie sich neu einladen.", field="token")
    return {
        "centre_id": member.centre_id,
        "centre_name": member.name,
        "role": member.role,
        "needs_password": not await has_password(conn, row.account_id),
        "expires_at": row.expires_at,
        "account_id": row.account_id,
    }


async def accept_invitation(conn: AsyncConnection, token: str, password: str | None, now: datetime) -> dict:
    """Join the team with the link; a person without a password sets one now."""
    offer = await invitation(conn, token, now)
    account_id = offer["account_id"]
    if offer["needs_password"]:
        if not password:
            raise Unprocessable("Bitte legen Sie ein Passwort fest.", field="password")
        await _check_strength(conn, account_id, password)
    request_id = token.partition(".")[0]
    await conn.execute(update(password_resets).where(password_resets.c.request_id == request_id).values(used_at=now))
    centre_id = await staff.accept(conn, request_id, account_id, now)
    if offer["needs_password"] and password:  # checked above: needed means given
        await set_password(conn, account_id, password, now)
    return {"account_id": account_id, "centre_id": centre_id, "role": offer["role"]}


async def set_password(conn: AsyncConnection, account_id: str, password: str, now: datetime) -> None:
    """Store a new hash and end every session of the account."""
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    await conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .values(password_hash=password_hash, must_change=False, changed_at=now)
    )
    await end_sessions(conn, account_id, now)


async def end_sessions(conn: AsyncConnection, account_id: str, now: datetime) -> None:
    """Revoke every refresh token of the account (access tokens expire on their own)."""
    await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.account_id == account_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
