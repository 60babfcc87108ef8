"""Rebuild identity's projections from its event store: ``python -m identity.replay``.

Sealed fields are opened with the persons' keys, so erased persons come back erased.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from identity.readmodels import projection
from identity.readmodels.tables import (
    accounts,
    centre_staff,
    guardianships,
    organisations,
    seat_requests,
    verification_steps,
)
from identity.settings import Settings
from teilhabe_kit import eventstore, replay_cli, sealing
from teilhabe_kit.bulk import MemoryWrites
from teilhabe_kit.progress import Progress
from teilhabe_kit.tables import event_store


async def rebuild(engine: AsyncEngine, stream_ids: Sequence[str] | None = None) -> int:
    """Re-project every event (or those of `stream_ids`) in one transaction; returns the count.
    All of them are folded in memory and written with COPY; some streams statement by statement."""
    applied = 0
    async with engine.begin() as conn:
        for table, column in (
            (accounts, "id"),
            (verification_steps, "account_id"),
            (guardianships, "ward_id"),
            (organisations, "id"),
            (centre_staff, "account_id"),
            (seat_requests, "centre_id"),
        ):
            query = delete(table)
            if stream_ids is not None:
                query = query.where(table.c[column].in_(stream_ids))
            await conn.execute(query)
        if stream_ids is None:
            return await _rebuild_in_bulk(conn)
        streams = (
            await conn.execute(
                select(event_store.c.stream_type, event_store.c.stream_id)
                .where(event_store.c.stream_id.in_(stream_ids))
                .distinct()
            )
        ).all()
        for stream_type, stream_id in streams:
            for envelope in await eventstore.read_stream(conn, stream_type, stream_id):
                await projection.project(conn, envelope)
                applied += 1
    return applied


async def _rebuild_in_bulk(conn: AsyncConnection) -> int:
    """Every event folded in memory through the live projection's row changes (`projection.apply`
    on `MemoryWrites`, the persons' keys loaded at once), then each table written with COPY."""
    keys = await sealing.all_keys(conn)
    writes = MemoryWrites()
    progress = Progress("identity rebuild", await conn.scalar(select(func.count()).select_from(event_store)) or 0)
    applied = 0
    async for envelope in eventstore.read_all_stored(conn):
        event = projection.opened_with(keys.get(envelope.stream_id), envelope)
        await projection.apply(writes, envelope, event)
        applied += 1
        if applied % 10_000 == 0:
            progress.advance(10_000)
    progress.advance(applied % 10_000)
    progress.finish()
    await writes.flush(conn)
    return applied


async def _projections(engine: AsyncEngine, bootstrap_servers: str) -> str:
    return f"identity: re-projected {await rebuild(engine)} events"


if __name__ == "__main__":
    replay_cli.main(Settings(), [replay_cli.Part("projections", "the projections from the event store", _projections)])
