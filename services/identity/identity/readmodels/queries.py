"""Read queries of identity's HTTP API on its read model (the API modules check who may ask and
shape the answers)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.readmodels.tables import (
    accounts,
    centre_staff,
    credentials,
    guardianships,
    organisations,
    refresh_tokens,
    seat_requests,
    verification_steps,
)


async def account(conn: AsyncConnection, account_id: str) -> Row[Any] | None:
    return (await conn.execute(select(accounts).where(accounts.c.id == account_id))).first()


async def account_page(
    conn: AsyncConnection,
    *,
    equal: dict[str, object],
    marked_for_deletion: bool | None,
    search: str | None,
    search_contacts: bool,
    limit: int,
    offset: int,
) -> tuple[int, Sequence[Row[Any]]]:
    """Accounts whose columns in `equal` have those values (None: any), newest first, and how many
    there are in all; `search` is a part of the name (and e-mail or phone with `search_contacts`)."""
    conditions = [accounts.c[column] == value for column, value in equal.items() if value is not None]
    if marked_for_deletion is not None:
        conditions.append(
            accounts.c.erase_after.is_not(None) if marked_for_deletion else accounts.c.erase_after.is_(None)
        )
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        searchable = [accounts.c.name] + ([accounts.c.email, accounts.c.phone] if search_contacts else [])
        conditions.append(or_(*(c.ilike(pattern) for c in searchable)))
    total = await conn.scalar(select(func.count()).select_from(accounts).where(*conditions))
    rows = (
        await conn.execute(
            select(accounts)
            .where(*conditions)
            .order_by(accounts.c.created_at.desc(), accounts.c.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return total or 0, rows


async def verification_steps_of(conn: AsyncConnection, account_id: str) -> Sequence[Row[Any]]:
    """The recorded verification steps, oldest first."""
    return (
        await conn.execute(
            select(verification_steps)
            .where(verification_steps.c.account_id == account_id)
            .order_by(verification_steps.c.recorded_at)
        )
    ).all()


async def guardianships_of(conn: AsyncConnection, account_id: str) -> Sequence[Row[Any]]:
    """Guardianships in which the person is the ward or the guardian."""
    return (
        await conn.execute(
            select(guardianships).where(
                or_(guardianships.c.ward_id == account_id, guardianships.c.guardian_id == account_id)
            )
        )
    ).all()


async def centre_memberships_of(conn: AsyncConnection, account_id: str) -> Sequence[Row[Any]]:
    """The person's places in counseling centres' teams (invited or joined)."""
    return (await conn.execute(select(centre_staff).where(centre_staff.c.account_id == account_id))).all()


async def active_sessions(conn: AsyncConnection, account_id: str, now: datetime) -> int:
    """Refresh tokens of the person that can still be used."""
    count = await conn.scalar(
        select(func.count())
        .select_from(refresh_tokens)
        .where(
            refresh_tokens.c.account_id == account_id,
            refresh_tokens.c.revoked_at.is_(None),
            refresh_tokens.c.rotated_at.is_(None),
            refresh_tokens.c.expires_at > now,
        )
    )
    return count or 0


async def password_of(conn: AsyncConnection, account_id: str) -> Row[Any, Any, Any] | None:
    """The password hash with the name and e-mail address (a new password must not contain them)."""
    return (
        await conn.execute(
            select(credentials.c.password_hash, accounts.c.name, accounts.c.email)
            .join(accounts, accounts.c.id == credentials.c.account_id)
            .where(credentials.c.account_id == account_id)
        )
    ).first()


async def contact_of(conn: AsyncConnection, account_id: str) -> Row[Any, Any] | None:
    """E-mail address and phone number of the person."""
    return (await conn.execute(select(accounts.c.email, accounts.c.phone).where(accounts.c.id == account_id))).first()


async def acting_guardian(conn: AsyncConnection, ward_id: str, today: date) -> Row[Any, Any, Any] | None:
    """Id, e-mail address and phone number of the guardian who acts for the ward today (the longest)."""
    return (
        await conn.execute(
            select(accounts.c.id, accounts.c.email, accounts.c.phone)
            .join(guardianships, guardianships.c.guardian_id == accounts.c.id)
            .where(guardianships.c.ward_id == ward_id, guardianships.c.acts_until > today)
            .order_by(guardianships.c.acts_until.desc(), accounts.c.id)
            .limit(1)
        )
    ).first()


async def organisations_by_name(conn: AsyncConnection, kind: str | None) -> Sequence[Row[Any]]:
    query = select(organisations).order_by(organisations.c.name)
    if kind is not None:
        query = query.where(organisations.c.kind == kind)
    return (await conn.execute(query)).all()


async def organisation(conn: AsyncConnection, organisation_id: str) -> Row[Any] | None:
    return (await conn.execute(select(organisations).where(organisations.c.id == organisation_id))).first()


async def seat_requests_newest(conn: AsyncConnection, limit: int = 200) -> Sequence[Row[Any]]:
    """Requests for more seats, newest first, with the centre's name and current seats."""
    query = (
        select(seat_requests, organisations.c.name, organisations.c.seats.label("current_seats"))
        .join(organisations, organisations.c.id == seat_requests.c.centre_id)
        .order_by(seat_requests.c.requested_at.desc())
        .limit(limit)
    )
    return (await conn.execute(query)).all()
