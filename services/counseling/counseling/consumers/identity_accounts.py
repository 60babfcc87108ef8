"""What counseling learns from identity's account topic: clients of a centre (a self-registered
client's pseudonym is fetched from identity, never read from Kafka), their locks, deletions,
restores and erasure, and the centres' teams. Consumer group ``<prefix>.identity``."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import clients as cases
from counseling.app.identity_client import IdentityClient
from counseling.readmodels.tables import centre_staff, counselor_photos, counselors
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts import identity as idp
from teilhabe_kit import sealing


class IdentityAccounts:
    def __init__(self, topic: str, group_prefix: str, identity: IdentityClient) -> None:
        self.name = f"{group_prefix}.identity"
        self.topics = (topic,)
        self._identity = identity

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        account_id = envelope.stream_id
        match event:
            case idp.AccountRegistered(role=idp.AccountRole.CLIENT, organisation_id=str(centre_id)):
                account = await self._identity.account(account_id)
                if account is not None and account.organisation_id == centre_id and account.name:
                    opened_by = envelope.actor_id if envelope.actor_id != account_id else None
                    await cases.record_opened(conn, centre_id, account_id, account.name, opened_by)
            case idp.AccountLocked():
                await cases.status_changed(conn, account_id, "blocked")
            case idp.AccountUnlocked() | idp.AccountRestored():
                await cases.status_changed(conn, account_id, "active")
            case idp.AccountDeletionRequested():
                await cases.status_changed(conn, account_id, "deleted", event.erase_after)
            case idp.AccountErased():
                if not await cases.erase(conn, account_id):
                    await self._erase_staff(conn, account_id)
            case idp.StaffJoined() | idp.StaffRoleChanged():
                row = {"centre_id": event.centre_id, "account_id": account_id, "role": event.role}
                await conn.execute(
                    insert(centre_staff)
                    .values(**row)
                    .on_conflict_do_update(index_elements=["centre_id", "account_id"], set_={"role": event.role})
                )
            case idp.StaffRemoved():
                await conn.execute(
                    delete(centre_staff).where(
                        centre_staff.c.centre_id == event.centre_id, centre_staff.c.account_id == account_id
                    )
                )

    async def _erase_staff(self, conn: AsyncConnection, account_id: str) -> None:
        """A counselor's account was erased: their key, profile and photo go."""
        await sealing.erase(conn, account_id)
        for table, column in ((counselor_photos, counselor_photos.c.counselor_id), (counselors, counselors.c.id)):
            await conn.execute(delete(table).where(column == account_id))
        await conn.execute(delete(centre_staff).where(centre_staff.c.account_id == account_id))

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(delete(centre_staff))
