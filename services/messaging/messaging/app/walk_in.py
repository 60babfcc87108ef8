"""Anonymous walk-in chat (Caritas' "anonyme Beratung", Sofortchat without an account).

A person without an account enters a centre's queue: they get a generated pseudonym and a random
credential valid for `walk_in_minutes` (only its SHA-256 is stored), which alone opens this one
chat. New chats are limited per address and the queue per centre. Signed in afterwards as a client
of the same centre, the person may take the chat into their account (claim): the credential ends.
A chat nobody claimed is shredded (its key destroyed) `walk_in_keep_days` after its credential ended.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import rate_windows
from messaging.app.chat_access import Party, enter, key_of, secret_hash
from messaging.app.chat_signals import chat_key, queue_key, signal
from messaging.app.counseling_chats import create
from messaging.readmodels.tables import chat_members, chat_messages, chats
from messaging.settings import Settings
from teilhabe_events.contexts.counseling_chat import (
    CounselingChatEnded,
    CounselingChatRequested,
    WalkInChatClaimed,
)
from teilhabe_kit import sealing
from teilhabe_kit.problems import Conflict, Forbidden
from teilhabe_kit.streams import append


def pseudonym() -> str:
    return f"Gast {secrets.randbelow(9000) + 1000}"


async def start(conn: AsyncConnection, centre_id: str, address: str, settings: Settings) -> dict:
    """A new anonymous chat in the centre's queue; the credential is shown once."""
    await rate_windows.hit(conn, f"walk-in:{address}", settings.walk_in_per_address, settings.walk_in_window_seconds)
    await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"walk-in-queue:{centre_id}"))))
    waiting = await conn.scalar(
        select(func.count()).where(
            chats.c.centre_id == centre_id, chats.c.state == "waiting", chats.c.kind == "walk_in"
        )
    )
    if int(waiting or 0) >= settings.walk_in_queue_max:
        raise rate_windows.TooMany(
            "Gerade warten sehr viele Menschen. Bitte versuchen Sie es in einigen Minuten noch einmal.",
            en="Very many people are waiting right now. Please try again in a few minutes.",
            retry_after=120,
        )
    token = secrets.token_urlsafe(32)
    guest_id = f"guest-{secrets.token_hex(12)}"
    name = pseudonym()
    expires = datetime.now(UTC) + timedelta(minutes=settings.walk_in_minutes)
    chat_id = await create(
        conn,
        centre_id,
        "walk_in",
        "waiting",
        [(guest_id, "guest")],
        guest_id=guest_id,
        guest_name=name,
        guest_secret=secret_hash(token),
        guest_expires_at=expires,
    )
    await append(conn, chat_id, [CounselingChatRequested(centre_id=centre_id, kind="walk_in", requested_by=guest_id)])
    await signal(conn, queue_key(centre_id))
    return {"id": chat_id, "token": token, "guest_name": name, "expires_at": expires.isoformat()}


async def claim(conn: AsyncConnection, guest: Party, client: Party, chat_id: str) -> dict:
    """The guest, now signed in as a client of the same centre, takes the chat into their account."""
    if client.role != "client" or client.centre_id != guest.centre_id:
        raise Forbidden("Übernehmen kann den Chat nur ein Konto als Ratsuchende:r derselben Beratungsstelle.")
    entry = await enter(conn, guest, chat_id, lock=True)
    if entry.chat.client_id is not None:
        raise Conflict("Dieser Chat gehört schon zu einem Konto.")
    await conn.execute(update(chats).where(chats.c.id == chat_id).values(client_id=client.person_id, guest_secret=None))
    await conn.execute(
        update(chat_members)
        .where(chat_members.c.chat_id == chat_id, chat_members.c.person_id == guest.person_id)
        .values(person_id=client.person_id, role="client")
    )
    await conn.execute(
        update(chat_messages)
        .where(chat_messages.c.chat_id == chat_id, chat_messages.c.author_id == guest.person_id)
        .values(author_id=client.person_id)
    )
    await append(
        conn,
        chat_id,
        [WalkInChatClaimed(centre_id=guest.centre_id, guest_id=guest.person_id, client_id=client.person_id)],
        actor_id=client.person_id,
    )
    await signal(conn, chat_key(chat_id))
    return {"id": chat_id, "client_id": client.person_id}


async def shred_unclaimed(conn: AsyncConnection, keep: timedelta) -> int:
    """Destroy the key of every walk-in chat nobody claimed whose credential ended more than `keep`
    ago (its texts and pseudonym become unreadable; a chat still open ends); how many."""
    rows = (
        await conn.execute(
            update(chats)
            .where(
                chats.c.kind == "walk_in",
                chats.c.client_id.is_(None),
                chats.c.guest_secret.is_not(None),
                chats.c.guest_expires_at < func.now() - keep,
            )
            .values(
                guest_secret=None,
                state="ended",
                ended_at=func.coalesce(chats.c.ended_at, func.now()),
                ended_by=func.coalesce(chats.c.ended_by, "expired"),
            )
            .returning(chats.c.id, chats.c.centre_id, chats.c.ended_by)
        )
    ).all()
    for row in rows:
        await sealing.erase(conn, key_of(row.id))
        if row.ended_by == "expired":
            ended = CounselingChatEnded(centre_id=row.centre_id, ended_by="expired")
            await append(conn, row.id, [ended])
    return len(rows)
