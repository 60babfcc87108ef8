"""Identity refuses tokens of revoked accounts from the commit on, not only once its own event
came back over Kafka: the kit's revocation list (for the "not before" that outlives an unlock)
plus one primary-key lookup in the accounts table (locked, marked for deletion, erased)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from identity.domain.account import Status
from identity.readmodels.tables import accounts
from teilhabe_kit.auth import Principal, Revocations, Unauthenticated
from teilhabe_kit.revocation import REVOKED_DETAIL


class AccountStanding:
    """`Revocations` for identity's own API."""

    def __init__(self, engine: AsyncEngine, revocations: Revocations | None) -> None:
        self._engine = engine
        self._revocations = revocations

    async def admit(self, principal: Principal, issued_at: float) -> Principal:
        if self._revocations is not None:  # None in a process without the API
            principal = await self._revocations.admit(principal, issued_at)
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(accounts.c.status, accounts.c.locked, accounts.c.erase_after).where(
                        accounts.c.id == principal.account_id
                    )
                )
            ).first()
        if row is not None and (row.locked or row.erase_after is not None or row.status == Status.ERASED):
            raise Unauthenticated(REVOKED_DETAIL)
        return principal
