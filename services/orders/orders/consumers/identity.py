"""Identity's account events in orders.

`AccountDirectory` is a read model (rebuilt by `python -m orders.replay`): which seekers and
assistants are active and which provider an assistant belongs to. `Erasure` reacts to
`AccountErased` (not a read model, never replayed): the person's key is destroyed, their open
orders are deleted and their open offers withdrawn.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from orders.app import reactions
from orders.app.streams import Tx
from orders.readmodels.tables import accounts
from teilhabe_events import DomainEvent, EventEnvelope, topic_for
from teilhabe_events.contexts.identity import AccountErased, AccountRegistered, MembershipApproved
from teilhabe_kit import sealing
from teilhabe_kit.bulk import Fact, Rows, copy_rows

ROLES = ("seeker", "assistant")

_FLAGS: dict[str, dict[str, Any]] = {
    "AccountActivated": {"activated": True},
    "AccountLocked": {"locked": True},
    "AccountUnlocked": {"locked": False},
    "AccountDeletionRequested": {"deleting": True},
    "AccountRestored": {"deleting": False},
    "AccountErased": {"erased": True, "organisation_id": None},
    "MembershipEnded": {"organisation_id": None},
}


class AccountDirectory:
    def __init__(self, topic: str = topic_for("identity", "account"), group_prefix: str = "orders") -> None:
        self.name = f"{group_prefix}.account-directory"
        self.topics = (topic,)

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        account_id = envelope.stream_id
        if isinstance(event, AccountRegistered):
            if event.role in ROLES:
                await conn.execute(
                    insert(accounts).values(account_id=account_id, role=event.role.value).on_conflict_do_nothing()
                )
            return
        if isinstance(event, MembershipApproved) and event.role == "assistant":
            changes = {"organisation_id": event.organisation_id}
        elif event.event_type in _FLAGS:
            changes = _FLAGS[event.event_type]
        else:
            return
        await conn.execute(update(accounts).where(accounts.c.account_id == account_id).values(**changes))

    async def reset(self, conn: AsyncConnection) -> None:
        await conn.execute(accounts.delete())

    def fold(self) -> DirectoryFold:
        return DirectoryFold()


class DirectoryFold:
    """The directory folded in memory for a bulk rebuild: the same rules as `AccountDirectory.apply`."""

    event_types = frozenset({"AccountRegistered", "MembershipApproved", *_FLAGS})

    def __init__(self) -> None:
        self.rows = Rows()

    def add(self, fact: Fact) -> None:
        p = fact.payload
        if fact.event_type == "AccountRegistered":
            if p["role"] in ROLES:
                self.rows.insert(fact.stream_id, {"account_id": fact.stream_id, "role": p["role"]})
        elif fact.event_type == "MembershipApproved":
            if p["role"] == "assistant":
                self.rows.update(fact.stream_id, {"organisation_id": p["organisation_id"]})
        else:
            self.rows.update(fact.stream_id, _FLAGS[fact.event_type])

    async def write(self, conn: AsyncConnection) -> None:
        await copy_rows(conn, accounts, self.rows.values())


class Erasure:
    def __init__(self, topic: str, orders_topic: str, group_prefix: str = "orders") -> None:
        self.name = f"{group_prefix}.erasure"
        self.topics = (topic,)
        self._orders_topic = orders_topic

    async def apply(self, conn: AsyncConnection, envelope: EventEnvelope, event: DomainEvent) -> None:
        if not isinstance(event, AccountErased):
            return
        await sealing.erase(conn, envelope.stream_id)
        await reactions.close_for_erased(Tx(conn, self._orders_topic), envelope.stream_id, causation=envelope)

    async def reset(self, conn: AsyncConnection) -> None:
        """Nothing to empty: what it did lives in the event store (decisions, not a view)."""
