"""What appointments learns from identity's account topic (consumer group `<prefix>.identity`):

- the centres' teams (`centre_staff`): who is a counselor or an admin of which centre;
- `AccountErased`: a client's upcoming appointments are cancelled, their waitlist entries and
  group seats released (their calendars decide it, so the slots come free at once and public
  events tell the others); the ids in past bookings are pseudonymous and stay.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app.erasure import release_client
from appointments.readmodels.tables import centre_staff
from teilhabe_events import DomainEvent, EventEnvelope, topic_for
from teilhabe_events.contexts.identity import AccountErased, StaffJoined, StaffRemoved, StaffRoleChanged


class IdentityFacts:
    def __init__(self, topic: str = topic_for("identity", "account"), group_prefix: str = "appointments") -> None:
        self.name = f"{group_prefix}.identity"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        account_id = envelope.stream_id
        if isinstance(event, StaffJoined | StaffRoleChanged):
            row = {"centre_id": event.centre_id, "account_id": account_id, "role": event.role.value}
            await conn.execute(
                insert(centre_staff)
                .values(**row)
                .on_conflict_do_update(index_elements=["centre_id", "account_id"], set_=row)
            )
        elif isinstance(event, StaffRemoved):
            await conn.execute(
                delete(centre_staff).where(
                    centre_staff.c.centre_id == event.centre_id, centre_staff.c.account_id == account_id
                )
            )
        elif isinstance(event, AccountErased):
            await conn.execute(delete(centre_staff).where(centre_staff.c.account_id == account_id))
            await release_client(conn, account_id)

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(centre_staff.delete())
