"""Reads of counseling's read models (the API decides who may call them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.readmodels.projection import search_key
from counseling.readmodels.tables import (
    bookmarks,
    case_records,
    centre_settings,
    client_groups,
    clients,
    counselor_photos,
    counselors,
    direct_messages,
    group_members,
    notes,
)

NOBODY = "none"
"""`primary=none`: clients without a primary counselor."""


@dataclass(frozen=True)
class ClientSearch:
    q: str | None = None
    primary: str | None = None  # a counselor id, "none", or None for all
    filters: tuple[str, ...] = ()
    status: str | None = None
    bookmarked_by: str | None = None
    group_id: str | None = None
    limit: int = 50
    offset: int = 0


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def search_clients(conn: AsyncConnection, centre_id: str, search: ClientSearch) -> tuple[list[Any], int]:
    """Clients of the centre by pseudonym (part of it, any case) and filters, A–Z; the page and the total."""
    where = [clients.c.centre_id == centre_id, clients.c.status != "erased"]
    if search.q:
        where.append(clients.c.pseudonym_key.like(f"%{_escape_like(search_key(search.q) or '')}%"))
    if search.primary == NOBODY:
        where.append(clients.c.primary_counselor_id.is_(None))
    elif search.primary:
        where.append(clients.c.primary_counselor_id == search.primary)
    if search.filters:
        where.append(clients.c.filters.contains(list(search.filters)))
    if search.status:
        where.append(clients.c.status == search.status)
    if search.bookmarked_by:
        where.append(
            exists().where(
                and_(bookmarks.c.client_id == clients.c.id, bookmarks.c.counselor_id == search.bookmarked_by)
            )
        )
    if search.group_id:
        where.append(
            exists().where(and_(group_members.c.client_id == clients.c.id, group_members.c.group_id == search.group_id))
        )
    columns = [
        clients.c.id,
        clients.c.pseudonym,
        clients.c.status,
        clients.c.primary_counselor_id,
        clients.c.filters,
        clients.c.erase_after,
    ]
    rows = await conn.execute(
        select(*columns, func.count().over().label("total"))
        .where(*where)
        .order_by(clients.c.pseudonym_key, clients.c.id)
        .limit(search.limit)
        .offset(search.offset)
    )
    found = list(rows)
    total = found[0].total if found else 0
    if not found and search.offset:
        total = await conn.scalar(select(func.count()).select_from(clients).where(*where)) or 0
    return found, total


async def client(conn: AsyncConnection, centre_id: str, client_id: str) -> Any:
    return (
        await conn.execute(
            select(clients).where(
                clients.c.id == client_id, clients.c.centre_id == centre_id, clients.c.status != "erased"
            )
        )
    ).first()


async def is_bookmarked(conn: AsyncConnection, counselor_id: str, client_id: str) -> bool:
    found = await conn.scalar(
        select(bookmarks.c.client_id).where(
            bookmarks.c.counselor_id == counselor_id, bookmarks.c.client_id == client_id
        )
    )
    return found is not None


async def groups_of_client(conn: AsyncConnection, client_id: str) -> list[Any]:
    return list(
        await conn.execute(
            select(client_groups.c.id, client_groups.c.name, client_groups.c.description)
            .join(group_members, group_members.c.group_id == client_groups.c.id)
            .where(group_members.c.client_id == client_id)
            .order_by(client_groups.c.name)
        )
    )


async def notes_of(conn: AsyncConnection, client_id: str) -> list[Any]:
    return list(
        await conn.execute(select(notes).where(notes.c.client_id == client_id).order_by(notes.c.created_at.desc()))
    )


async def messages_of(conn: AsyncConnection, client_id: str) -> list[Any]:
    return list(
        await conn.execute(
            select(direct_messages)
            .where(direct_messages.c.client_id == client_id)
            .order_by(direct_messages.c.sent_at.desc())
        )
    )


async def records(
    conn: AsyncConnection,
    centre_id: str,
    *,
    client_id: str | None = None,
    counselor_id: str | None = None,
    limit: int = 200,
) -> list[Any]:
    """Case records, newest first (of one client and/or one counselor)."""
    where = [case_records.c.centre_id == centre_id]
    if client_id:
        where.append(case_records.c.client_id == client_id)
    if counselor_id:
        where.append(case_records.c.counselor_id == counselor_id)
    return list(
        await conn.execute(
            select(case_records)
            .where(*where)
            .order_by(case_records.c.occurred_on.desc(), case_records.c.created_at.desc())
            .limit(limit)
        )
    )


async def record(conn: AsyncConnection, record_id: str) -> Any:
    return (await conn.execute(select(case_records).where(case_records.c.id == record_id))).first()


async def records_for_export(conn: AsyncConnection, centre_id: str, start: date, end: date) -> Any:
    """Every record of the centre in [start, end] with the client's pseudonym and the counselor's name."""
    return await conn.stream(
        select(case_records, clients.c.pseudonym, counselors.c.display_name)
        .join(clients, clients.c.id == case_records.c.client_id, isouter=True)
        .join(counselors, counselors.c.id == case_records.c.counselor_id, isouter=True)
        .where(case_records.c.centre_id == centre_id, case_records.c.occurred_on.between(start, end))
        .order_by(case_records.c.occurred_on, case_records.c.created_at, case_records.c.id)
    )


async def groups(conn: AsyncConnection, centre_id: str) -> list[Any]:
    members = select(func.count()).where(group_members.c.group_id == client_groups.c.id).scalar_subquery()
    return list(
        await conn.execute(
            select(client_groups, members.label("members"))
            .where(client_groups.c.centre_id == centre_id)
            .order_by(client_groups.c.name, client_groups.c.id)
        )
    )


async def group(conn: AsyncConnection, centre_id: str, group_id: str) -> Any:
    return (
        await conn.execute(
            select(client_groups).where(client_groups.c.id == group_id, client_groups.c.centre_id == centre_id)
        )
    ).first()


async def settings(conn: AsyncConnection, centre_id: str) -> Any:
    return (await conn.execute(select(centre_settings).where(centre_settings.c.centre_id == centre_id))).first()


async def counselor(conn: AsyncConnection, counselor_id: str) -> Any:
    return (await conn.execute(select(counselors).where(counselors.c.id == counselor_id))).first()


async def counselors_of(conn: AsyncConnection, centre_id: str) -> list[Any]:
    return list(
        await conn.execute(
            select(counselors).where(counselors.c.centre_id == centre_id).order_by(counselors.c.display_name)
        )
    )


async def photo(conn: AsyncConnection, counselor_id: str) -> Any:
    return (await conn.execute(select(counselor_photos).where(counselor_photos.c.counselor_id == counselor_id))).first()


async def client_by_id(conn: AsyncConnection, client_id: str) -> Any:
    return (await conn.execute(select(clients).where(clients.c.id == client_id, clients.c.status != "erased"))).first()
