"""Rebuild identity's projections from its event store: ``python -m identity.replay``.

Sealed fields are opened with the persons' keys, so erased persons come back erased.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

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
from teilhabe_kit import eventstore, replay_cli
from teilhabe_kit.tables import event_store


async def rebuild(engine: AsyncEngine, stream_ids: Sequence[str] | None = None) -> int:
    """Re-project every event (or those of `stream_ids`) in one transaction; returns the count."""
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
            async for _, envelope in eventstore.read_all(conn):
                await projection.project(conn, envelope)
                applied += 1
            return applied
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


async def _projections(engine: AsyncEngine, bootstrap_servers: str) -> str:
    return f"identity: re-projected {await rebuild(engine)} events"


if __name__ == "__main__":
    replay_cli.main(Settings(), [replay_cli.Part("projections", "the projections from the event store", _projections)])
