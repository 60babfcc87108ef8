"""One person's history from identity's event store, for data-subject requests (customer service).

Each event with its time, who acted (the person, or the role of the account that acted) and the
reason where one was recorded; no other sealed field is opened (names, contacts, needs stay closed)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app import store
from identity.readmodels.tables import accounts
from teilhabe_kit import eventstore, sealing

DETAILS = ("role", "step", "organisation_id", "erase_after", "guardian_id", "acts_until", "self_employed")
"""Plain facts of an event worth showing; everything else stays out of the history. A team event's
`centre_id` is shown as the organisation (the centre id is its organisation id)."""


async def history(conn: AsyncConnection, account_id: str) -> list[dict]:
    envelopes = await eventstore.read_stream(conn, store.ACCOUNT, account_id)
    actors = {env.actor_id for env in envelopes if env.actor_id and env.actor_id != account_id}
    roles = (
        dict((await conn.execute(select(accounts.c.id, accounts.c.role).where(accounts.c.id.in_(actors)))).all())
        if actors
        else {}
    )
    entries = []
    for env in envelopes:
        reason = env.payload.get("reason")
        entries.append(
            {
                "version": env.stream_version,
                "event_type": env.event_type,
                "occurred_at": env.occurred_at,
                "actor_role": "self" if env.actor_id == account_id else str(roles.get(env.actor_id, "system")),
                "reason": await sealing.unseal(conn, account_id, reason) if reason else None,
                "details": {k: env.payload[k] for k in DETAILS if env.payload.get(k) not in (None, False)}
                | ({"organisation_id": env.payload["centre_id"]} if env.payload.get("centre_id") else {}),
            }
        )
    return entries
