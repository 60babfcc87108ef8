"""Use cases on regions: the platform admin sets the fallback centre of a state."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from centres import places
from centres.app import access
from centres.app.streams import Tx, envelopes_of
from centres.domain.regions import STREAM, decide_fallback
from centres.readmodels.tables import centres_view, region_fallbacks
from teilhabe_kit import eventstore
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound, Unprocessable


async def set_fallback(tx: Tx, principal: Principal, region: str, centre_id: str) -> None:
    access.require_platform_admin(principal)
    if region not in places.STATES:
        raise NotFound("Diese Region gibt es nicht.")
    if await tx.conn.scalar(select(centres_view.c.centre_id).where(centres_view.c.centre_id == centre_id)) is None:
        raise Unprocessable("Diese Beratungsstelle gibt es nicht.", field="centre_id")
    current = await tx.conn.scalar(select(region_fallbacks.c.centre_id).where(region_fallbacks.c.region == region))
    events = decide_fallback(current, centre_id)
    if not events:
        return
    version = await eventstore.stream_version(tx.conn, STREAM, region)
    at = datetime.now(UTC)
    envelopes = envelopes_of(STREAM, region, version, events, actor_id=principal.account_id, at=at)
    await eventstore.append(tx.conn, STREAM, region, version, envelopes)
    await project_fallback(tx, region, centre_id, version + len(events))


async def project_fallback(tx: Tx, region: str, centre_id: str, version: int) -> None:
    row = {"centre_id": centre_id, "version": version}
    await tx.conn.execute(
        insert(region_fallbacks).values(region=region, **row).on_conflict_do_update(index_elements=["region"], set_=row)
    )


async def fallbacks(tx: Tx) -> dict[str, str]:
    rows = await tx.conn.execute(select(region_fallbacks.c.region, region_fallbacks.c.centre_id))
    return {row.region: row.centre_id for row in rows}
