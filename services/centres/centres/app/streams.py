"""The centre stream on the kit's `load`/`commit`: the views are projected in the commit's transaction.

A concurrent writer makes the append fail → HTTP 409.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from centres.domain.events import Event, SignatoryRecorded
from centres.domain.regions import RegionFallbackSet
from centres.domain.state import Centre, evolve
from centres.readmodels.views import project
from teilhabe_events.contexts.centres import CentreInterestRecorded
from teilhabe_kit import streams
from teilhabe_kit.if_match import expect
from teilhabe_kit.streams import Committed, Loaded, Tx

TOPIC = CentreInterestRecorded.topic()
CENTRE: streams.Stream[Centre, Event] = streams.Stream("centre", evolve, internal=[SignatoryRecorded], topic=TOPIC)
STREAM = CENTRE.stream_type
REGION: streams.Stream[None, RegionFallbackSet] = streams.Stream("region", internal=[RegionFallbackSet])
"""A region's stream: internal events only (its fallback centre), no state to decide on."""


async def load(tx: Tx, centre_id: str) -> Loaded[Centre]:
    """The folded centre (None when there is none) and its stream version."""
    return await streams.load(tx.conn, CENTRE, centre_id)


async def load_existing(tx: Tx, centre_id: str) -> tuple[Centre, int]:
    """The centre or 404."""
    return await streams.load_existing(tx.conn, CENTRE, centre_id, "Diese Beratungsstelle gibt es nicht.")


def expect_version(version: int, if_match: int | None) -> None:
    """409 when the caller's `If-Match` version is not the current one (check after authorization)."""
    expect(version, if_match, "Die Beratungsstelle wurde inzwischen geändert. Bitte laden Sie die Seite neu.")


async def _project(conn: AsyncConnection, committed: Committed[Centre, Event]) -> None:
    assert committed.state is not None
    await project(conn, committed.state, committed.version, committed.occurred_at)


async def commit(
    tx: Tx, centre_id: str, state: Centre | None, version: int, events: Sequence[Event], *, actor_id: str | None
) -> Loaded[Centre]:
    """Append `events` after `version`, record the public ones, project; returns the new state and version."""
    committed = await streams.commit(
        tx.conn,
        CENTRE,
        centre_id,
        Loaded(state, version),
        events,
        actor_id=actor_id,
        topic=tx.topic,
        project=_project,
    )
    return Loaded(committed.state, committed.version)
