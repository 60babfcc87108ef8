"""Use cases on accounts and organisations: registration, staff accounts, verification, profile
changes, admin actions and guardianship. Each runs in the caller's transaction."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from identity import passwords
from identity.app import store
from identity.domain import account as domain
from identity.domain import events as e
from identity.readmodels.tables import accounts, credentials, organisations
from teilhabe_events.contexts.identity import AccountRole, OrganisationKind, VerificationStep
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable


class ContactTaken(Conflict):
    """The e-mail address or phone number belongs to another account."""


def new_id() -> str:
    return str(uuid.uuid4())


async def _contact_is_free(
    conn: AsyncConnection, email: str | None, phone: str | None, *, except_id: str | None = None
) -> None:
    for column, value, field, label in (
        (accounts.c.email, email, "email", "Diese E-Mail-Adresse"),
        (accounts.c.phone, phone, "phone", "Diese Telefonnummer"),
    ):
        if value is None:
            continue
        owner = await conn.scalar(select(accounts.c.id).where(column == value))
        if owner is not None and owner != except_id:
            raise ContactTaken(f"{label} ist schon für ein Konto eingetragen.", field=field)


async def organisation_kind(conn: AsyncConnection, organisation_id: str) -> OrganisationKind | None:
    kind = await conn.scalar(select(organisations.c.kind).where(organisations.c.id == organisation_id))
    return OrganisationKind(kind) if kind else None


async def register(
    conn: AsyncConnection,
    event: e.Registered,
    *,
    password: str | None,
    actor_id: str | None,
    account_id: str | None = None,
) -> str:
    """Register a person (or, with `created_by`, a staff account); returns the new account id
    (`account_id` when another service chose it, e.g. contracts' interested person)."""
    await _contact_is_free(conn, event.email, event.phone)
    if event.organisation_id is not None:
        kind = await organisation_kind(conn, event.organisation_id)
        wanted = (
            OrganisationKind.SERVICE_PROVIDER
            if event.role in (AccountRole.ASSISTANT, AccountRole.COORDINATOR)
            else None
        )
        if kind is None or (wanted is not None and kind != wanted):
            raise Unprocessable(
                "Diese Organisation gibt es nicht (oder sie passt nicht zur Rolle).", field="organisation_id"
            )
    account_id = account_id or new_id()
    state = domain.Account(id=account_id)
    try:
        await store.commit(
            conn,
            store.ACCOUNT,
            account_id,
            0,
            domain.register(state, event),
            actor_id=actor_id or account_id,
            state=state,
        )
    except IntegrityError as error:  # a concurrent sign-up with the same contact won the race
        for index, field in (("uq_accounts_email", "email"), ("uq_accounts_phone", "phone")):
            if index in str(error.orig):
                raise ContactTaken("Diese Angabe ist schon für ein Konto eingetragen.", field=field) from None
        raise
    password_hash = await asyncio.to_thread(passwords.hash_password, password) if password else None
    await conn.execute(credentials.insert().values(account_id=account_id, password_hash=password_hash))
    return account_id


async def create_organisation(conn: AsyncConnection, kind: OrganisationKind, name: str, postcode: str, by: str) -> str:
    organisation_id = new_id()
    event = e.OrganisationCreated(organisation_kind=kind, name=name, postcode=postcode, created_by=by)
    await store.commit(conn, store.ORGANISATION, organisation_id, 0, [event], actor_id=by)
    return organisation_id


async def existing(conn: AsyncConnection, account_id: str) -> domain.Account:
    state = await store.load(conn, account_id)
    if not state.exists:
        raise NotFound("Dieses Konto gibt es nicht.")
    return state


async def record_step(conn: AsyncConnection, account_id: str, step: VerificationStep, reason: str, by: str) -> None:
    await existing(conn, account_id)
    await store.decide_and_commit(conn, account_id, lambda s: domain.record_step(s, step, reason, by), actor_id=by)


async def act(conn: AsyncConnection, account_id: str, decide, by: str) -> domain.Account:
    """Run a decision on an existing account as `by`."""
    await existing(conn, account_id)
    return await store.decide_and_commit(conn, account_id, decide, actor_id=by)


async def change_contact(conn: AsyncConnection, account_id: str, event: e.ContactChanged, by: str) -> None:
    await _contact_is_free(conn, event.email, event.phone, except_id=account_id)
    await act(conn, account_id, lambda s: domain.change_profile(s, event), by)


async def change_login_name(conn: AsyncConnection, account_id: str, login_name: str, by: str) -> None:
    """The staff member's new login name (case-folded); taken by someone else → 409 naming the field."""
    name = login_name.casefold()
    taken = await conn.scalar(select(accounts.c.id).where(accounts.c.staff_login == name, accounts.c.id != account_id))
    if taken is not None:
        raise Conflict("Diesen Login-Namen gibt es schon. Bitte wählen Sie einen anderen.", field="login_name")
    await act(conn, account_id, lambda s: domain.change_login_name(s, name), by)


async def request_deletion(conn: AsyncConnection, account_id: str, retention_days: int, by: str, today: date) -> date:
    erase_after = today + timedelta(days=retention_days)
    await act(conn, account_id, lambda s: domain.request_deletion(s, erase_after, by), by)
    return erase_after


async def assign_guardian(
    conn: AsyncConnection, ward_id: str, guardian_id: str, birth_date: date, by: str, today: date
) -> date:
    role = await conn.scalar(select(accounts.c.role).where(accounts.c.id == guardian_id))
    if role != AccountRole.GUARDIAN:
        raise Unprocessable("Dieses Konto ist kein Konto für Sorgeberechtigte.", field="guardian_id")
    state = await act(conn, ward_id, lambda s: domain.assign_guardian(s, guardian_id, birth_date, today), by)
    return state.guardians[guardian_id]


async def owner_of_contact(conn: AsyncConnection, email: str | None, phone: str | None) -> str | None:
    """The account that already has this e-mail address (else this phone number), if any."""
    for column, value in ((accounts.c.email, email), (accounts.c.phone, phone)):
        if value is not None and (owner := await conn.scalar(select(accounts.c.id).where(column == value))):
            return owner
    return None


async def find_by_login(conn: AsyncConnection, login: str) -> str | None:
    """The account id for an e-mail address, phone number or staff login name (already normalised)."""
    return await conn.scalar(
        select(accounts.c.id).where(
            or_(accounts.c.email == login, accounts.c.phone == login, accounts.c.staff_login == login)
        )
    )


def now() -> datetime:
    return datetime.now(UTC)
