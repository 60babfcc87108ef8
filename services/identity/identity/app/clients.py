"""Use cases on clients (Ratsuchende) of counseling centres: opened by the centre's staff (with a
password shown once, to be changed at the first sign-in) or by the person for a centre; a new
password set by a counselor; lock, unlock, deletion and restore by the centre's staff.

Permission checks are the caller's (`identity.api.clients`): staff act only for the centre in their
token. Each use case runs in the caller's transaction.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from identity import passwords
from identity.app import accounts as cases
from identity.app import store
from identity.domain import account as domain
from identity.domain import clients
from identity.domain import events as e
from identity.readmodels.tables import accounts, credentials, organisations
from teilhabe_events.contexts.identity import AccountRole, OrganisationKind
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable


class PseudonymTaken(Conflict):
    """Another client of the centre has this pseudonym already."""


async def centre_exists(conn: AsyncConnection, centre_id: str) -> None:
    kind = await conn.scalar(select(organisations.c.kind).where(organisations.c.id == centre_id))
    if kind != OrganisationKind.COUNSELING_CENTRE:
        raise NotFound("Diese Beratungsstelle gibt es nicht.")


async def find(conn: AsyncConnection, centre_id: str, pseudonym: str) -> str | None:
    """The client account of the centre with this pseudonym (any case), if any."""
    return await conn.scalar(
        select(accounts.c.id).where(
            accounts.c.organisation_id == centre_id,
            accounts.c.role == AccountRole.CLIENT,
            accounts.c.login_name == clients.login_name(pseudonym),
        )
    )


async def open_account(
    conn: AsyncConnection,
    centre_id: str,
    *,
    pseudonym: str,
    password: str,
    email: str | None,
    phone: str | None,
    created_by: str | None,
) -> str:
    """A client account of the centre; `created_by` is the counselor who opened it (the password
    must then be changed at the first sign-in), None when the person registered themselves."""
    await centre_exists(conn, centre_id)
    if await find(conn, centre_id, pseudonym) is not None:
        raise PseudonymTaken(
            "Dieses Pseudonym ist hier schon vergeben. Bitte wählen Sie ein anderes.", field="pseudonym"
        )
    reason = passwords.weakness(password, pseudonym, email)
    if reason:
        raise Unprocessable(reason, field="password")
    registered = e.Registered(
        role=AccountRole.CLIENT,
        organisation_id=centre_id,
        created_by=created_by,
        name=" ".join(pseudonym.split()),
        email=email,
        phone=phone,
    )
    try:
        account_id = await cases.register(conn, registered, password=password, actor_id=created_by)
    except IntegrityError as error:  # a concurrent registration took the pseudonym
        if "uq_accounts_centre_login" in str(error.orig):
            raise PseudonymTaken("Dieses Pseudonym ist hier schon vergeben.", field="pseudonym") from None
        raise
    if created_by is not None:
        await conn.execute(update(credentials).where(credentials.c.account_id == account_id).values(must_change=True))
    return account_id


async def of_centre(conn: AsyncConnection, centre_id: str, account_id: str) -> domain.Account:
    state = await store.load(conn, account_id)
    clients.client_of(state, centre_id)
    return state


async def new_password(conn: AsyncConnection, centre_id: str, account_id: str, now: datetime) -> str:
    """A counselor assigns a new password (shown once); it must be changed at the next sign-in
    (the caller ends the client's sessions)."""
    await of_centre(conn, centre_id, account_id)
    password = clients.initial_password()
    password_hash = await asyncio.to_thread(passwords.hash_password, password)
    await conn.execute(
        update(credentials)
        .where(credentials.c.account_id == account_id)
        .values(password_hash=password_hash, must_change=True, changed_at=now)
    )
    return password


async def lock(conn: AsyncConnection, centre_id: str, account_id: str, reason: str | None, by: str) -> None:
    await of_centre(conn, centre_id, account_id)
    await store.decide_and_commit(conn, account_id, lambda s: domain.lock(s, reason or "", by), actor_id=by)


async def unlock(conn: AsyncConnection, centre_id: str, account_id: str, by: str) -> None:
    await of_centre(conn, centre_id, account_id)
    await store.decide_and_commit(conn, account_id, lambda s: domain.unlock(s, by), actor_id=by)


async def retention_days(conn: AsyncConnection, centre_id: str, default: int) -> int:
    """The centre's deletion routine (days until erasure), from counseling's centre settings."""
    days = await conn.scalar(select(organisations.c.client_retention_days).where(organisations.c.id == centre_id))
    return default if days is None else days


async def request_deletion(
    conn: AsyncConnection, centre_id: str, account_id: str, by: str, today: date, default_days: int
) -> date:
    """Marked for deletion: sign-in refused at once, erased after the centre's days, restorable until then."""
    await of_centre(conn, centre_id, account_id)
    erase_after = today + timedelta(days=await retention_days(conn, centre_id, default_days))
    await store.decide_and_commit(conn, account_id, lambda s: domain.request_deletion(s, erase_after, by), actor_id=by)
    return erase_after


async def restore(conn: AsyncConnection, centre_id: str, account_id: str, by: str) -> None:
    await of_centre(conn, centre_id, account_id)
    await store.decide_and_commit(conn, account_id, lambda s: domain.restore(s, by), actor_id=by)
