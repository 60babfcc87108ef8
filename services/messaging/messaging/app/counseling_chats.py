"""Counseling chats between clients and counselors of one centre (Sofortchat / assisto Chat).

A client's request waits in the centre's queue until a counselor accepts it (exactly one wins: the
waiting row is taken with a conditional update); a counselor may also open a chat with a client of
the centre at once, or a group chat with several clients and colleagues. Either side ends a chat.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app.chat_access import Entry, Party, enter, seal, unseal
from messaging.app.chat_signals import chat_key, queue_key, signal
from messaging.readmodels.tables import chat_members, chats, counseling_clients, memberships
from teilhabe_events.contexts.counseling_chat import (
    CounselingChatAccepted,
    CounselingChatEnded,
    CounselingChatOpened,
    CounselingChatRequested,
    EndedBy,
)
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable
from teilhabe_kit.streams import append

OPEN_STATES = ("waiting", "active")


def _staff(party: Party, centre_id: str) -> None:
    if party.role != "counselor":
        raise Forbidden("Das dürfen nur Beratende der Beratungsstelle.")
    if party.centre_id != centre_id:
        raise NotFound("Diese Beratungsstelle gibt es nicht.")


async def create(
    conn: AsyncConnection,
    centre_id: str,
    kind: str,
    state: str,
    members: list[tuple[str, str]],
    **values: object,
) -> str:
    """Insert a chat with its members; the caller appends the matching public event."""
    chat_id = uuid.uuid4().hex
    title = values.pop("title", None)
    guest_name = values.pop("guest_name", None)
    await conn.execute(
        chats.insert().values(
            id=chat_id,
            centre_id=centre_id,
            kind=kind,
            state=state,
            title=await seal(conn, chat_id, title) if isinstance(title, str) else None,
            guest_name=await seal(conn, chat_id, guest_name) if isinstance(guest_name, str) else None,
            **values,
        )
    )
    await conn.execute(
        insert(chat_members), [{"chat_id": chat_id, "person_id": person, "role": role} for person, role in members]
    )
    return chat_id


async def request(conn: AsyncConnection, party: Party) -> tuple[str, bool]:
    """A client asks their centre for a chat: their open chat, or a new one in the queue (True)."""
    if party.role != "client":
        raise Forbidden("Einen Chat anfragen können Ratsuchende.")
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"chat-request:{party.person_id}"))))
    existing = await conn.scalar(
        select(chats.c.id)
        .where(chats.c.client_id == party.person_id, chats.c.kind == "client", chats.c.state.in_(OPEN_STATES))
        .limit(1)
    )
    if existing:
        return existing, False
    chat_id = await create(
        conn, party.centre_id, "client", "waiting", [(party.person_id, "client")], client_id=party.person_id
    )
    await append(
        conn,
        chat_id,
        [CounselingChatRequested(centre_id=party.centre_id, kind="client", requested_by=party.person_id)],
        actor_id=party.person_id,
    )
    await signal(conn, queue_key(party.centre_id))
    return chat_id, True


async def _clients_of(conn: AsyncConnection, centre_id: str, client_ids: list[str], field: str) -> None:
    known = set(
        (
            await conn.execute(
                select(counseling_clients.c.client_id).where(
                    counseling_clients.c.centre_id == centre_id, counseling_clients.c.client_id.in_(client_ids)
                )
            )
        ).scalars()
    )
    if not client_ids or known != set(client_ids):
        raise Unprocessable("Bitte wählen Sie Ratsuchende Ihrer Beratungsstelle.", field=field)


async def open_with_client(conn: AsyncConnection, party: Party, centre_id: str, client_id: str) -> tuple[str, bool]:
    """A counselor opens a chat with a client of the centre at once (or joins the client's open one)."""
    _staff(party, centre_id)
    await _clients_of(conn, centre_id, [client_id], "client_id")
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"chat-request:{client_id}"))))
    existing = (
        await conn.execute(
            select(chats.c.id, chats.c.state)
            .where(chats.c.client_id == client_id, chats.c.kind == "client", chats.c.state.in_(OPEN_STATES))
            .limit(1)
        )
    ).first()
    if existing is not None:
        if existing.state == "waiting":
            await accept(conn, party, existing.id)
        else:
            await _join(conn, existing.id, party.person_id)
        return existing.id, False
    members = [(party.person_id, "counselor"), (client_id, "client")]
    chat_id = await create(
        conn,
        centre_id,
        "client",
        "active",
        members,
        client_id=client_id,
        accepted_by=party.person_id,
        accepted_at=func.now(),
    )
    await append(
        conn,
        chat_id,
        [
            CounselingChatOpened(
                centre_id=centre_id, kind="client", opened_by=party.person_id, member_ids=[client_id, party.person_id]
            )
        ],
        actor_id=party.person_id,
    )
    return chat_id, True


async def open_group(
    conn: AsyncConnection, party: Party, centre_id: str, title: str, client_ids: list[str], counselor_ids: list[str]
) -> str:
    """A group chat of a counselor with clients and colleagues of the centre."""
    _staff(party, centre_id)
    clients = sorted(set(client_ids))
    await _clients_of(conn, centre_id, clients, "client_ids")
    colleagues = sorted(set(counselor_ids) - {party.person_id})
    if colleagues:
        known = set(
            (
                await conn.execute(
                    select(memberships.c.account_id).where(
                        memberships.c.organisation_id == centre_id,
                        memberships.c.role.in_(("counselor", "centre_admin")),
                        memberships.c.account_id.in_(colleagues),
                    )
                )
            ).scalars()
        )
        if known != set(colleagues):
            raise Unprocessable("Bitte wählen Sie Beratende Ihrer Beratungsstelle.", field="counselor_ids")
    members = [
        (party.person_id, "counselor"),
        *[(c, "counselor") for c in colleagues],
        *[(c, "client") for c in clients],
    ]
    chat_id = await create(
        conn, centre_id, "group", "active", members, title=title, accepted_by=party.person_id, accepted_at=func.now()
    )
    await append(
        conn,
        chat_id,
        [
            CounselingChatOpened(
                centre_id=centre_id, kind="group", opened_by=party.person_id, member_ids=[m for m, _ in members]
            )
        ],
        actor_id=party.person_id,
    )
    return chat_id


async def _join(conn: AsyncConnection, chat_id: str, person_id: str) -> None:
    await conn.execute(
        insert(chat_members).values(chat_id=chat_id, person_id=person_id, role="counselor").on_conflict_do_nothing()
    )


async def accept(conn: AsyncConnection, party: Party, chat_id: str) -> dict:
    """Take a waiting chat of the own centre; of several counselors at once exactly one wins (409 for the others)."""
    centre_id = await conn.scalar(select(chats.c.centre_id).where(chats.c.id == chat_id))
    if centre_id is None:
        raise NotFound("Diesen Chat gibt es nicht.")
    _staff(party, centre_id)
    taken = (
        await conn.execute(
            update(chats)
            .where(chats.c.id == chat_id, chats.c.state == "waiting")
            .values(state="active", accepted_by=party.person_id, accepted_at=func.now())
            .returning(chats.c.requested_at, chats.c.accepted_at)
        )
    ).first()
    if taken is None:
        raise Conflict("Diesen Chat hat schon jemand angenommen oder er ist beendet.")
    await _join(conn, chat_id, party.person_id)
    waited = max(int((taken.accepted_at - taken.requested_at).total_seconds()), 0)
    await append(
        conn,
        chat_id,
        [CounselingChatAccepted(centre_id=centre_id, counselor_id=party.person_id, waited_seconds=waited)],
        actor_id=party.person_id,
    )
    await signal(conn, chat_key(chat_id), queue_key(centre_id))
    return {"id": chat_id, "state": "active", "accepted_by": party.person_id}


async def end(conn: AsyncConnection, party: Party, chat_id: str) -> dict:
    """Either side ends the chat (ending twice changes nothing)."""
    entry = await enter(conn, party, chat_id, lock=True)
    if entry.chat.state != "ended":
        await conn.execute(
            update(chats).where(chats.c.id == chat_id).values(state="ended", ended_at=func.now(), ended_by=party.role)
        )
        await append(
            conn,
            chat_id,
            [CounselingChatEnded(centre_id=entry.chat.centre_id, ended_by=cast(EndedBy, party.role))],
            actor_id=party.person_id,
        )
        await signal(conn, chat_key(chat_id), queue_key(entry.chat.centre_id))
    return {"id": chat_id, "state": "ended"}


async def position(conn: AsyncConnection, chat) -> int | None:
    """1 for the next in the centre's queue; None when the chat is not waiting."""
    if chat.state != "waiting":
        return None
    ahead = await conn.scalar(
        select(func.count()).where(
            chats.c.centre_id == chat.centre_id,
            chats.c.state == "waiting",
            or_(
                chats.c.requested_at < chat.requested_at,
                and_(chats.c.requested_at == chat.requested_at, chats.c.id < chat.id),
            ),
        )
    )
    return int(ahead or 0) + 1


async def view(conn: AsyncConnection, entry: Entry, party: Party) -> dict:
    """What the chat page shows: state, place in the queue and waiting time, members, who the caller is."""
    chat = entry.chat
    now = datetime.now(UTC)
    waited_until = chat.accepted_at or chat.ended_at or now
    return {
        "id": chat.id,
        "centre_id": chat.centre_id,
        "kind": chat.kind,
        "state": chat.state,
        "title": await unseal(conn, chat.id, chat.title),
        "guest_name": await unseal(conn, chat.id, chat.guest_name),
        "position": await position(conn, chat),
        "waiting_seconds": max(int((waited_until - chat.requested_at).total_seconds()), 0),
        "requested_at": chat.requested_at.isoformat(),
        "accepted_by": chat.accepted_by,
        "ended_by": chat.ended_by,
        "last_seq": chat.last_seq,
        "me": party.person_id,
        "my_role": party.role,
        "members": [{"person_id": p, "role": r} for p, r in sorted(entry.members.items())],
    }


async def queue(conn: AsyncConnection, party: Party, centre_id: str) -> list[dict]:
    """The centre's waiting chats, first come first: what free counselors see and accept."""
    _staff(party, centre_id)
    rows = (
        await conn.execute(
            select(chats)
            .where(chats.c.centre_id == centre_id, chats.c.state == "waiting")
            .order_by(chats.c.requested_at, chats.c.id)
        )
    ).all()
    now = datetime.now(UTC)
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "position": place,
            "guest_name": await unseal(conn, row.id, row.guest_name),
            "client_id": row.client_id,
            "requested_at": row.requested_at.isoformat(),
            "waiting_seconds": max(int((now - row.requested_at).total_seconds()), 0),
        }
        for place, row in enumerate(rows, start=1)
    ]


async def mine(conn: AsyncConnection, party: Party) -> list[dict]:
    """The caller's chats, open ones first, newest first, with unread counts."""
    rows = (
        await conn.execute(
            select(chats, chat_members.c.read_seq)
            .join(chat_members, chat_members.c.chat_id == chats.c.id)
            .where(chat_members.c.person_id == party.person_id, chats.c.centre_id == party.centre_id)
            .order_by((chats.c.state == "ended").asc(), chats.c.requested_at.desc(), chats.c.id)
            .limit(200)
        )
    ).all()
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "state": row.state,
            "title": await unseal(conn, row.id, row.title),
            "guest_name": await unseal(conn, row.id, row.guest_name),
            "client_id": row.client_id,
            "requested_at": row.requested_at.isoformat(),
            "unread": max(row.last_seq - row.read_seq, 0),
        }
        for row in rows
    ]
