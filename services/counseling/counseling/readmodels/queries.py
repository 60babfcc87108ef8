"""Reads of counseling's read models (the API decides who may call them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
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


SEARCH_COLUMNS = "id, pseudonym, status, primary_counselor_id, filters, erase_after"


def _search_sql(centre_id: str, search: ClientSearch) -> tuple[str, list[Any]]:
    """The search as one SQL statement and its arguments (numbered parameters: asyncpg prepares each
    shape once per connection and keeps it)."""
    args: list[Any] = [centre_id]

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    where = ["c.centre_id = $1", "c.status <> 'erased'"]
    if search.q:
        pattern = "%" + _escape_like(search_key(search.q) or "") + "%"
        where.append(f"c.pseudonym_key LIKE {arg(pattern)}")
    if search.primary == NOBODY:
        where.append("c.primary_counselor_id IS NULL")
    elif search.primary:
        where.append(f"c.primary_counselor_id = {arg(search.primary)}")
    if search.filters:
        where.append(f"c.filters @> {arg(list(search.filters))}::varchar[]")
    if search.status:
        where.append(f"c.status = {arg(search.status)}")
    if search.bookmarked_by:
        where.append(
            "EXISTS (SELECT 1 FROM bookmarks b WHERE b.client_id = c.id "
            f"AND b.counselor_id = {arg(search.bookmarked_by)})"
        )
    if search.group_id:
        where.append(
            f"EXISTS (SELECT 1 FROM group_members m WHERE m.client_id = c.id AND m.group_id = {arg(search.group_id)})"
        )
    return " AND ".join(where), args


async def search_clients(conn: AsyncConnection, centre_id: str, search: ClientSearch) -> tuple[list[Any], int]:
    """Clients of the centre by pseudonym (part of it, any case) and filters, A–Z; the page and the total.

    The busiest read of the workspace, so it runs as plain SQL on the driver's connection outside a
    transaction: no expression building, no BEGIN/ROLLBACK round trips (profiled: they were most of
    the request's Python time, the query itself well under a millisecond)."""
    where, args = _search_sql(centre_id, search)
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    found = await driver.fetch(
        f"SELECT {SEARCH_COLUMNS}, count(*) OVER () AS total FROM clients c WHERE {where} "
        f"ORDER BY c.pseudonym_key, c.id LIMIT ${len(args) + 1} OFFSET ${len(args) + 2}",
        *args,
        search.limit,
        search.offset,
    )
    total = found[0]["total"] if found else 0
    if not found and search.offset:
        total = await driver.fetchval(f"SELECT count(*) FROM clients c WHERE {where}", *args) or 0
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
