"""Use cases on regions: the platform admin sets the fallback centre of a state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from centres import places
from centres.app import access
from centres.app.streams import REGION, Tx
from centres.domain.regions import decide_fallback
from centres.readmodels.tables import centres_view, region_fallbacks
from teilhabe_kit import eventstore, streams
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound, Unprocessable
from teilhabe_kit.streams import Loaded


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
    version = await eventstore.stream_version(tx.conn, REGION.stream_type, region)
    committed = await streams.commit(
        tx.conn, REGION, region, Loaded(None, version), events, actor_id=principal.account_id
    )
    await project_fallback(tx, region, centre_id, committed.version)


async def project_fallback(tx: Tx, region: str, centre_id: str, version: int) -> None:
    row = {"centre_id": centre_id, "version": version}
    await tx.conn.execute(
        insert(region_fallbacks).values(region=region, **row).on_conflict_do_update(index_elements=["region"], set_=row)
    )


async def fallbacks(tx: Tx) -> dict[str, str]:
    rows = await tx.conn.execute(select(region_fallbacks.c.region, region_fallbacks.c.centre_id))
    return {row.region: row.centre_id for row in rows}
