"""Opening conversations and checking who may take part.

An order conversation needs an offer: the seeker (or their guardian) and whoever offered (the
assistant, or the provider's coordinator) may open it, once per offer. A coordinator opens group
conversations with assistants of their own organisation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.readmodels.tables import conversations, memberships, offers, participants, presence
from teilhabe_events.contexts.messaging import ConversationKind, ConversationOpened
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable
from teilhabe_kit.streams import append


@dataclass(frozen=True)
class Access:
    """The conversation row and the participant the caller acts as (themselves or their ward)."""

    conversation: Row[Any]
    as_person: str
    participant_ids: list[str]


async def access(conn: AsyncConnection, principal: Principal, conversation_id: str, *, lock: bool = False) -> Access:
    """Only participants (or their guardians) get in: 404 for an unknown id, 403 for anyone else."""
    query = select(conversations).where(conversations.c.id == conversation_id)
    row = (await conn.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound("Dieses Gespräch gibt es nicht.")
    people = list(
        (
            await conn.execute(
                select(participants.c.person_id)
                .where(participants.c.conversation_id == conversation_id)
                .order_by(participants.c.person_id)
            )
        ).scalars()
    )
    acting = [p for p in people if principal.may_act_for(p)]
    if not acting:
        raise Forbidden("Dieses Gespräch können nur die Beteiligten lesen.")
    me = principal.account_id if principal.account_id in acting else acting[0]
    return Access(row, me, people)


async def _reachable(conn: AsyncConnection, person_id: str) -> bool:
    status = await conn.scalar(select(presence.c.status).where(presence.c.person_id == person_id))
    return status != "not_reachable"


async def _open(
    conn: AsyncConnection, principal: Principal, values: dict, members: list[tuple[str, str]], title: str | None = None
) -> tuple[str, bool]:
    conversation_id = uuid.uuid4().hex
    sealed_title = await sealing.seal(conn, principal.account_id, title) if title else None
    stmt = insert(conversations).values(
        id=conversation_id, opened_by=principal.account_id, title=sealed_title, **values
    )
    if values.get("offer_id"):
        stmt = stmt.on_conflict_do_nothing(index_elements=["offer_id"])
    created = await conn.scalar(stmt.returning(conversations.c.id))
    if created is None:  # opened meanwhile by the other side
        existing = await conn.execute(select(conversations.c.id).where(conversations.c.offer_id == values["offer_id"]))
        return existing.scalar_one(), False
    await conn.execute(
        insert(participants),
        [{"conversation_id": conversation_id, "person_id": person, "role": role} for person, role in members],
    )
    await append(
        conn,
        conversation_id,
        [
            ConversationOpened(
                kind=values["kind"],
                order_id=values.get("order_id"),
                offer_id=values.get("offer_id"),
                organisation_id=values.get("organisation_id"),
                opened_by=principal.account_id,
                participant_ids=[person for person, _ in members],
            )
        ],
        actor_id=principal.account_id,
    )
    return conversation_id, True


async def open_for_offer(conn: AsyncConnection, principal: Principal, order_id: str, offer_id: str) -> tuple[str, bool]:
    """The conversation of an offer (opened now if needed); True when it was created."""
    offer = (
        await conn.execute(
            select(offers).where(
                offers.c.offer_id == offer_id, offers.c.order_id == order_id, offers.c.withdrawn.is_(False)
            )
        )
    ).first()
    if offer is None:
        raise NotFound("Zu diesem Auftrag gibt es dieses Angebot nicht (mehr).")
    counterpart = offer.assistant_id if offer.kind == "assistant" and offer.assistant_id else offer.submitted_by
    seeker_side = principal.may_act_for(offer.seeker_id) and principal.has(Role.SEEKER, Role.GUARDIAN)
    offer_side = principal.account_id == counterpart or (
        principal.has(Role.COORDINATOR)
        and offer.organisation_id is not None
        and principal.organisation_id == offer.organisation_id
    )
    if not (seeker_side or offer_side):
        raise Forbidden("Dieses Gespräch können nur die suchende Person und wer das Angebot gemacht hat öffnen.")
    existing = await conn.scalar(select(conversations.c.id).where(conversations.c.offer_id == offer_id))
    if existing:
        return existing, False
    other = counterpart if seeker_side else offer.seeker_id
    if not await _reachable(conn, other):
        raise Conflict("Diese Person ist gerade nicht erreichbar. Bitte versuchen Sie es später noch einmal.")
    role = "assistant" if offer.kind == "assistant" else "coordinator"
    return await _open(
        conn,
        principal,
        {
            "kind": ConversationKind.ORDER,
            "order_id": order_id,
            "offer_id": offer_id,
            "organisation_id": offer.organisation_id,
        },
        [(offer.seeker_id, "seeker"), (counterpart, role)],
    )


async def open_group(conn: AsyncConnection, principal: Principal, member_ids: list[str], title: str) -> str:
    """A coordinator's group with assistants of the same organisation."""
    org = principal.organisation_id
    if not org:
        raise Forbidden("Gruppen kann nur eine Koordination mit einem Dienst anlegen.")
    members = sorted(set(member_ids) - {principal.account_id})
    known = set(
        (
            await conn.execute(
                select(memberships.c.account_id).where(
                    memberships.c.organisation_id == org,
                    memberships.c.role == "assistant",
                    memberships.c.account_id.in_(members),
                )
            )
        ).scalars()
    )
    if not members or known != set(members):
        raise Unprocessable("Eine Gruppe braucht Assistenzkräfte Ihres eigenen Dienstes.", field="member_ids")
    conversation_id, _ = await _open(
        conn,
        principal,
        {"kind": ConversationKind.GROUP, "organisation_id": org},
        [(principal.account_id, "coordinator"), *[(m, "assistant") for m in members]],
        title=title,
    )
    return conversation_id


async def summaries(conn: AsyncConnection, principal: Principal, *, limit: int = 50, offset: int = 0) -> list[dict]:
    """The caller's conversations (and their wards'), newest first, with unread counts."""
    people = [principal.account_id, *sorted(principal.acting_for)]
    rows = (
        await conn.execute(
            select(conversations, participants.c.person_id, participants.c.read_seq)
            .join(participants, participants.c.conversation_id == conversations.c.id)
            .where(participants.c.person_id.in_(people))
            .order_by(conversations.c.opened_at.desc(), conversations.c.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    result = []
    for row in rows:
        others = (
            (
                await conn.execute(
                    select(participants.c.person_id).where(
                        participants.c.conversation_id == row.id, participants.c.person_id != row.person_id
                    )
                )
            )
            .scalars()
            .all()
        )
        title = await sealing.unseal(conn, row.opened_by, row.title) if row.title else None
        result.append(
            {
                "id": row.id,
                "kind": row.kind,
                "order_id": row.order_id,
                "offer_id": row.offer_id,
                "title": title,
                "as_person": row.person_id,
                "other_participant_ids": sorted(others),
                "unread": max(row.last_seq - row.read_seq, 0),
                "opened_at": row.opened_at.isoformat(),
            }
        )
    return result
