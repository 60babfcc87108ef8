"""What appointments learns from counseling's client topic (consumer group `<prefix>.counseling`):

- `PrimaryCounselorAssigned`: the client's primary counselor per centre, for "nur für
  Stammklient:innen" (a service or a counselor reserved to their regular clients);
- `ClientErased`: the client's upcoming appointments are cancelled, waitlist entries and group
  seats released (as on identity's `AccountErased`; whichever comes first does it).
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from appointments.app.erasure import release_client
from appointments.readmodels.tables import primary_counselors
from teilhabe_events import DomainEvent, EventEnvelope, topic_for
from teilhabe_events.contexts.counseling import ClientErased, PrimaryCounselorAssigned


class CounselingFacts:
    def __init__(self, topic: str = topic_for("counseling", "client"), group_prefix: str = "appointments") -> None:
        self.name = f"{group_prefix}.counseling"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        client_id = envelope.stream_id
        if isinstance(event, PrimaryCounselorAssigned):
            mine = (primary_counselors.c.client_id == client_id) & (primary_counselors.c.centre_id == event.centre_id)
            if event.counselor_id is None:
                await conn.execute(delete(primary_counselors).where(mine))
                return
            row = {"client_id": client_id, "centre_id": event.centre_id, "counselor_id": event.counselor_id}
            await conn.execute(
                insert(primary_counselors)
                .values(**row)
                .on_conflict_do_update(
                    index_elements=["client_id", "centre_id"], set_={"counselor_id": event.counselor_id}
                )
            )
        elif isinstance(event, ClientErased):
            await conn.execute(delete(primary_counselors).where(primary_counselors.c.client_id == client_id))
            await release_client(conn, client_id)

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(primary_counselors.delete())
