"""The public directory: a read model of the centres topic (rebuilt by `python -m centres.replay`).

Only listed centres are public; the rows of the others wait for their listing. Events arrive in
stream order (one partition per centre); a profile older than the row's revision is ignored.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from centres.readmodels import directory_rows
from centres.readmodels.tables import directory
from teilhabe_events import DomainEvent, EventEnvelope, topic_for
from teilhabe_events.contexts.centres import (
    CentreDelisted,
    CentreFunctionsChanged,
    CentreInterestRecorded,
    CentreListed,
    CentreProfileChanged,
)


class Directory:
    def __init__(self, topic: str = topic_for("centres", "centre"), group_prefix: str = "centres") -> None:
        self.name = f"{group_prefix}.directory"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        centre_id, at = envelope.stream_id, envelope.occurred_at
        if isinstance(event, CentreInterestRecorded):
            await directory_rows.add(conn, centre_id, event.name, event.postcode, at)
        elif isinstance(event, CentreProfileChanged):
            await directory_rows.set_profile(conn, centre_id, event.profile, event.revision, at)
        elif isinstance(event, CentreFunctionsChanged):
            await directory_rows.change(conn, centre_id, at, functions=[f.value for f in event.functions])
        elif isinstance(event, CentreListed):
            await directory_rows.change(conn, centre_id, at, listed=True)
        elif isinstance(event, CentreDelisted):
            await directory_rows.change(conn, centre_id, at, listed=False)

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(directory.delete())
