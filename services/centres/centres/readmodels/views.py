"""Writing the back office's `centres_view` from a centre's folded state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from centres.domain.completeness import missing
from centres.domain.state import Centre
from centres.readmodels.tables import centres_view


async def project(conn: AsyncConnection, state: Centre, version: int, at: datetime) -> None:
    """Upsert the centre's row as of stream `version` (changed at `at`)."""
    row = {
        "name": state.name,
        "postcode": state.profile.address.postcode if state.profile else state.postcode,
        "status": state.status.value,
        "agreement_version": state.agreement.version if state.agreement else None,
        "agreement_signed_on": state.agreement.signed_on if state.agreement else None,
        "functions": [f.value for f in state.functions],
        "seats": state.seats,
        "revision": state.revision,
        "missing": missing(state.profile),
        "version": version,
        "updated_at": at,
    }
    await conn.execute(
        insert(centres_view)
        .values(centre_id=state.centre_id, created_at=at, **row)
        .on_conflict_do_update(index_elements=["centre_id"], set_=row)
    )
