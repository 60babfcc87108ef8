"""Whether a provider bills with its own system (then its assistants book no hours here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.readmodels.tables import provider_billing


async def bills_itself(conn: AsyncConnection, organisation_id: str | None) -> bool:
    if organisation_id is None:
        return False
    query = select(provider_billing.c.own_system).where(provider_billing.c.organisation_id == organisation_id)
    return bool(await conn.scalar(query))


async def set_own_system(conn: AsyncConnection, organisation_id: str, own_system: bool, changed_by: str) -> None:
    values = {"own_system": own_system, "changed_by": changed_by}
    await conn.execute(
        insert(provider_billing)
        .values(organisation_id=organisation_id, **values)
        .on_conflict_do_update(index_elements=["organisation_id"], set_=values)
    )
