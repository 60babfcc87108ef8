"""Bulk rebuilds: fold a read model's events in memory, then write it at once with COPY.

A projection that offers `fold()` is rebuilt this way by the kit's `replay` (one transaction: reset,
the folded rows, the tracking rows) instead of a statement per event. The fold sees each event as a
`Fact`: the envelope decoded by orjson and the payload lifted to the current schema version by the
registry's upcasters (the same shape as the typed event's ``model_dump(mode="json")``; optional
fields added later may be missing from old payloads: read them with ``.get``). Only the types named
in `Fold.event_types` reach it. Pydantic is not involved: it costs ten times the read of the event.

`Rows` keeps a table's rows in memory with the upsert semantics of the live SQL (insert once, later
changes update), and `copy_rows` writes them with one COPY. A projection that writes through the
`Writes` operations (insert, upsert, update, delete, get by columns) runs unchanged live
(`SqlWrites`: a statement each) and in a rebuild (`MemoryWrites`: rows by primary key, then COPY).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_events.registry import EventRegistry
from teilhabe_kit.db import asyncpg_connection
from teilhabe_kit.tables import processed_events


@dataclass(frozen=True, slots=True)
class Fact:
    """One event for a fold: the envelope's fields and the current-version payload."""

    event_id: str
    event_type: str
    stream_id: str
    stream_version: int
    occurred_at: str
    actor_id: str | None
    payload: dict[str, Any]

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.occurred_at)


class Fold(Protocol):
    """A read model folded in memory during a bulk rebuild."""

    event_types: frozenset[str]
    """The event types it needs; the others are only counted."""

    def add(self, fact: Fact) -> None:
        """Fold one event into memory (raise on a payload it cannot use: the event is skipped)."""

    async def write(self, conn: AsyncConnection) -> None:
        """Write everything folded, after the projection's `reset`, in the rebuild's transaction."""


def fact(value: bytes, events: EventRegistry, wanted: frozenset[str]) -> tuple[str, Fact | None]:
    """The event id of a Kafka message value and its `Fact` (None when the fold does not want its
    type). Raises on a malformed envelope or an event type or version the registry cannot lift."""
    e = orjson.loads(value)
    kind = e["event_type"]
    if kind not in wanted:
        return e["event_id"], None
    payload = e["payload"]
    version = e["schema_version"]
    if version != events.model(kind).schema_version:
        payload = events.upcast(kind, version, payload)
    event_id = e["event_id"]
    return event_id, Fact(
        event_id, kind, e["stream_id"], e["stream_version"], e["occurred_at"], e.get("actor_id"), payload
    )


class Rows:
    """A table's rows in memory by key, with the live projection's upsert semantics."""

    def __init__(self) -> None:
        self.by_key: dict[Any, dict[str, Any]] = {}

    def insert(self, key: Any, row: Mapping[str, Any]) -> None:
        """``INSERT … ON CONFLICT DO NOTHING``."""
        if key not in self.by_key:
            self.by_key[key] = dict(row)

    def upsert(self, key: Any, row: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
        """``INSERT row … ON CONFLICT DO UPDATE SET changes``."""
        known = self.by_key.get(key)
        if known is None:
            self.by_key[key] = dict(row)
        else:
            known.update(changes)

    def update(self, key: Any, changes: Mapping[str, Any]) -> None:
        """``UPDATE … WHERE key``: nothing when the row does not exist."""
        known = self.by_key.get(key)
        if known is not None:
            known.update(changes)

    def delete(self, key: Any) -> None:
        self.by_key.pop(key, None)

    def values(self) -> Iterable[dict[str, Any]]:
        return self.by_key.values()


async def copy_rows(conn: AsyncConnection, table: Table, rows: Iterable[Mapping[str, Any]]) -> int:
    """COPY `rows` into `table` (binary, through asyncpg), in `conn`'s transaction. A column a row
    leaves out takes the column's client-side scalar default, or else the server's default (rows
    are copied in groups of the same columns). Returns the number of rows."""
    client = {
        c.name: getattr(c.default, "arg", None) for c in table.columns if c.default is not None and c.default.is_scalar
    }
    plain = [c.name for c in table.columns if c.server_default is None and c.name not in client]
    jsonb = {c.name for c in table.columns if isinstance(c.type, JSONB)}
    shapes: dict[tuple[str, ...], tuple[list[tuple[str, Any, bool]], list[tuple[Any, ...]]]] = {}
    count = 0
    for row in rows:
        shape = shapes.get(keys := tuple(row))
        if shape is None:
            names = [*row, *(n for n in (*client, *plain) if n not in row)]
            shape = shapes[keys] = ([(n, client.get(n), n in jsonb) for n in names], [])
        columns, records = shape
        records.append(tuple(_json(row.get(n, d)) if j else row.get(n, d) for n, d, j in columns))
        count += 1
    if shapes:
        raw = await asyncpg_connection(conn)
        for columns, records in shapes.values():
            names = [n for n, _, _ in columns]
            await raw.copy_records_to_table(table.name, records=records, columns=names, schema_name=table.schema)
    return count


class TrackingCopy:
    """A consumer's tracking rows (`processed_events`) streamed into ONE COPY in text form while a
    rebuild reads: `add` the event ids as they come, `close` at the end, `copy` runs meanwhile."""

    def __init__(self, consumer: str) -> None:
        self._prefix = consumer.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n") + "\t"
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def add(self, event_ids: Iterable[str]) -> None:
        prefix = self._prefix
        data = "".join(f"{prefix}{event_id}\n" for event_id in event_ids).encode()
        if data:
            self._queue.put_nowait(data)

    def close(self) -> None:
        self._queue.put_nowait(None)

    async def copy(self, conn: AsyncConnection) -> None:
        first = await self._queue.get()
        if first is None:
            return

        async def chunks() -> AsyncIterator[bytes]:
            data: bytes | None = first
            while data is not None:
                yield data
                data = await self._queue.get()

        raw = await asyncpg_connection(conn)
        await raw.copy_to_table(processed_events.name, source=chunks(), columns=["consumer", "event_id"], format="text")


class Writes(Protocol):
    """Row changes a projection makes, by table and columns."""

    async def insert(self, table: Table, row: Mapping[str, Any]) -> None: ...
    async def upsert(self, table: Table, row: Mapping[str, Any], changes: Mapping[str, Any]) -> None: ...
    async def update(self, table: Table, where: Mapping[str, Any], changes: Mapping[str, Any]) -> None: ...
    async def delete(self, table: Table, where: Mapping[str, Any]) -> None: ...
    async def get(self, table: Table, where: Mapping[str, Any]) -> Mapping[str, Any] | None: ...


class SqlWrites:
    """Row changes as SQL statements on `conn`: what a projection written against `Writes` does live."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def insert(self, table: Table, row: Mapping[str, Any]) -> None:
        await self.conn.execute(insert(table).values(**row))

    async def upsert(self, table: Table, row: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
        keys = [c.name for c in table.primary_key]
        await self.conn.execute(insert(table).values(**row).on_conflict_do_update(index_elements=keys, set_=changes))

    async def update(self, table: Table, where: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
        await self.conn.execute(update(table).where(*_matching(table, where)).values(**changes))

    async def delete(self, table: Table, where: Mapping[str, Any]) -> None:
        await self.conn.execute(delete(table).where(*_matching(table, where)))

    async def get(self, table: Table, where: Mapping[str, Any]) -> Mapping[str, Any] | None:
        found = (await self.conn.execute(select(table).where(*_matching(table, where)))).mappings().first()
        return dict(found) if found is not None else None


def _matching(table: Table, where: Mapping[str, Any]) -> list[Any]:
    return [table.c[name] == value for name, value in where.items()]


class MemoryWrites:
    """The same row changes kept in memory by primary key (a bulk rebuild), written by `flush`."""

    def __init__(self) -> None:
        self.tables: dict[Table, dict[tuple[Any, ...], dict[str, Any]]] = {}

    def _rows(self, table: Table) -> dict[tuple[Any, ...], dict[str, Any]]:
        return self.tables.setdefault(table, {})

    @staticmethod
    def _key(table: Table, row: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(row[c.name] for c in table.primary_key)

    def _found(self, table: Table, where: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        rows = self._rows(table)
        if set(where) == {c.name for c in table.primary_key}:
            key = self._key(table, where)
            return [key] if key in rows else []
        return [k for k, row in rows.items() if all(row.get(n) == v for n, v in where.items())]

    async def insert(self, table: Table, row: Mapping[str, Any]) -> None:
        self._rows(table).setdefault(self._key(table, row), dict(row))

    async def upsert(self, table: Table, row: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
        rows, key = self._rows(table), self._key(table, row)
        if key in rows:
            rows[key].update(changes)
        else:
            rows[key] = dict(row)

    async def update(self, table: Table, where: Mapping[str, Any], changes: Mapping[str, Any]) -> None:
        rows = self._rows(table)
        for key in self._found(table, where):
            rows[key].update(changes)

    async def delete(self, table: Table, where: Mapping[str, Any]) -> None:
        rows = self._rows(table)
        for key in self._found(table, where):
            del rows[key]

    async def get(self, table: Table, where: Mapping[str, Any]) -> Mapping[str, Any] | None:
        found = self._found(table, where)
        return self._rows(table)[found[0]] if found else None

    async def flush(self, conn: AsyncConnection) -> None:
        """COPY every table's rows (in `conn`'s transaction, after the tables were emptied)."""
        for table, rows in self.tables.items():
            await copy_rows(conn, table, rows.values())


def _json(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()
