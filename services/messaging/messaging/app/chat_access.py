"""Who takes part in a counseling chat: a client or counselor of the chat's centre (bearer token), or
the walk-in guest holding the chat's short-lived credential (header `X-Walk-In-Token`).

A chat of another centre is not revealed (404); someone of the centre who is no member gets 403.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.readmodels.tables import chat_members, chats
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal, Role, Unauthenticated
from teilhabe_kit.problems import Forbidden, NotFound

STAFF = (Role.COUNSELOR, Role.CENTRE_ADMIN)


@dataclass(frozen=True)
class Party:
    """The caller in a chat: `role` is client, counselor or guest; `chat_id` binds a guest to one chat."""

    person_id: str
    role: str
    centre_id: str
    chat_id: str | None = None


@dataclass(frozen=True)
class Entry:
    chat: Row[Any]
    members: dict[str, str]  # person id → role


def party_of(principal: Principal) -> Party:
    """A signed-in client or staff member of one centre (the token's organisation)."""
    if not principal.organisation_id or not principal.has(Role.CLIENT, *STAFF):
        raise Forbidden("Beratungs-Chats gibt es nur für Ratsuchende und Beratende einer Beratungsstelle.")
    role = "client" if principal.has(Role.CLIENT) else "counselor"
    return Party(principal.account_id, role, principal.organisation_id)


def secret_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def guest_of(conn: AsyncConnection, token: str) -> Party:
    """The guest whose credential this is, while it is valid (401 otherwise)."""
    row = (
        await conn.execute(
            select(chats.c.id, chats.c.guest_id, chats.c.centre_id).where(
                chats.c.guest_secret == secret_hash(token), chats.c.guest_expires_at > func.now()
            )
        )
    ).first()
    if row is None:
        raise Unauthenticated("Dieser Chat-Zugang ist abgelaufen. Bitte starten Sie einen neuen Chat.")
    return Party(row.guest_id, "guest", row.centre_id, row.id)


def key_of(chat_id: str) -> str:
    """The sealing key id of a chat (one key per chat, destroyed with the client's erasure)."""
    return f"chat:{chat_id}"


async def seal(conn: AsyncConnection, chat_id: str, text: str | None) -> str | None:
    return await sealing.seal(conn, key_of(chat_id), text)


async def unseal(conn: AsyncConnection, chat_id: str, sealed: str | None) -> str | None:
    return await sealing.unseal(conn, key_of(chat_id), sealed) if sealed else None


async def enter(conn: AsyncConnection, party: Party, chat_id: str, *, lock: bool = False) -> Entry:
    """The chat and its members, if the party is one of them."""
    query = select(chats).where(chats.c.id == chat_id)
    chat = (await conn.execute(query.with_for_update() if lock else query)).first()
    if chat is None or chat.centre_id != party.centre_id or (party.chat_id and party.chat_id != chat_id):
        raise NotFound("Diesen Chat gibt es nicht.")
    rows = await conn.execute(
        select(chat_members.c.person_id, chat_members.c.role).where(chat_members.c.chat_id == chat_id)
    )
    members = {row.person_id: row.role for row in rows}
    if party.person_id not in members:
        raise Forbidden("Diesen Chat können nur die Beteiligten lesen.")
    return Entry(chat, members)
