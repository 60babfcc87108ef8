"""Messages of counseling chats: sealed with the chat's key, live for every member (chat signal),
an inbox notice for members with an account (once until they read), read marks, CSV export."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import notifications
from messaging.app.chat_access import Entry, Party, enter, seal, unseal
from messaging.app.chat_signals import chat_key, signal
from messaging.app.messages import ERASED, spreadsheet_safe
from messaging.domain.notices import Notice, Person
from messaging.readmodels.tables import chat_members, chat_messages, chats
from teilhabe_events.contexts.counseling_chat import CounselingChatMessagePosted
from teilhabe_kit import sealing
from teilhabe_kit.localtime import BERLIN
from teilhabe_kit.problems import Conflict
from teilhabe_kit.streams import append

ROLE_LABELS = {"client": "Ratsuchende:r", "guest": "Gast", "counselor": "Beratung"}


def chat_notice(recipient_id: str, role: str, chat_id: str) -> Notice:
    link = f"/beratungsstelle/chats/{chat_id}" if role == "counselor" else f"/mein-beratungskonto/chats/{chat_id}"
    return Notice(
        Person(recipient_id),
        "chat_message",
        "Neue Chat-Nachricht",
        "Im Beratungs-Chat gibt es eine neue Nachricht.",
        link,
    )


async def post(
    conn: AsyncConnection, party: Party, chat_id: str, text: str, idempotency_key: str | None = None
) -> dict:
    """Post in a waiting or active chat (posts are serialised per chat by its row lock)."""
    entry = await enter(conn, party, chat_id, lock=True)
    if idempotency_key:
        first = (
            await conn.execute(
                select(chat_messages.c.id, chat_messages.c.seq).where(
                    chat_messages.c.chat_id == chat_id,
                    chat_messages.c.author_id == party.person_id,
                    chat_messages.c.idempotency_key == idempotency_key,
                )
            )
        ).first()
        if first is not None:
            return {"id": first.id, "seq": first.seq}
    if entry.chat.state == "ended":
        raise Conflict("Dieser Chat ist beendet.")
    try:
        sealed = await seal(conn, chat_id, text)
    except sealing.PersonErased:
        raise Conflict("Dieser Chat wurde gelöscht.") from None
    seq = entry.chat.last_seq + 1
    message_id = uuid.uuid4().hex
    await conn.execute(
        chat_messages.insert().values(
            id=message_id,
            chat_id=chat_id,
            seq=seq,
            author_id=party.person_id,
            text=sealed,
            idempotency_key=idempotency_key,
        )
    )
    await conn.execute(update(chats).where(chats.c.id == chat_id).values(last_seq=seq))
    await conn.execute(
        update(chat_members)
        .where(chat_members.c.chat_id == chat_id, chat_members.c.person_id == party.person_id)
        .values(read_seq=seq)
    )
    await append(
        conn,
        chat_id,
        [
            CounselingChatMessagePosted(
                centre_id=entry.chat.centre_id, message_id=message_id, author_id=party.person_id, seq=seq
            )
        ],
        actor_id=None if party.role == "guest" else party.person_id,
    )
    for person, role in entry.members.items():
        if person == party.person_id or role == "guest":
            continue
        notice = chat_notice(person, role, chat_id)
        if not await notifications.unread_like(conn, person, notice):
            await notifications.create(conn, notice, person, source_event_id=message_id)
    await signal(conn, chat_key(chat_id))
    return {"id": message_id, "seq": seq}


async def since(conn: AsyncConnection, entry: Entry, party: Party, after: int, limit: int | None = 200) -> list[dict]:
    """Messages after number `after`, oldest first; erased content reads as erased."""
    query = (
        select(chat_messages)
        .where(chat_messages.c.chat_id == entry.chat.id, chat_messages.c.seq > after)
        .order_by(chat_messages.c.seq)
    )
    rows = (await conn.execute(query.limit(limit) if limit else query)).all()
    result = []
    for row in rows:
        text = await unseal(conn, entry.chat.id, row.text)
        role = entry.members.get(row.author_id, "counselor")
        result.append(
            {
                "id": row.id,
                "seq": row.seq,
                "author_id": row.author_id,
                "author_role": role,
                "mine": row.author_id == party.person_id,
                "text": text,
                "erased": text is None,
                "posted_at": row.posted_at.isoformat(),
            }
        )
    return result


async def listing(conn: AsyncConnection, party: Party, chat_id: str, after: int, limit: int) -> dict:
    entry = await enter(conn, party, chat_id)
    return {"chat_id": chat_id, "me": party.person_id, "messages": await since(conn, entry, party, after, limit)}


async def mark_read(conn: AsyncConnection, party: Party, chat_id: str, up_to: int, now: datetime) -> int:
    entry = await enter(conn, party, chat_id)
    mark = min(up_to, entry.chat.last_seq)
    await conn.execute(
        update(chat_members)
        .where(
            chat_members.c.chat_id == chat_id,
            chat_members.c.person_id == party.person_id,
            chat_members.c.read_seq < mark,
        )
        .values(read_seq=mark)
    )
    if mark == entry.chat.last_seq and party.role != "guest":
        notice = chat_notice(party.person_id, party.role, chat_id)
        await notifications.mark_read_like(conn, party.person_id, notice, now)
    return mark


async def export_csv(conn: AsyncConnection, party: Party, chat_id: str) -> str:
    """The stream as CSV („Stream exportieren“): number, time, role, text."""
    entry = await enter(conn, party, chat_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Nr", "Zeit", "Von", "Nachricht"])
    for m in await since(conn, entry, party, 0, None):
        when = datetime.fromisoformat(m["posted_at"]).astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
        writer.writerow(
            [m["seq"], when, ROLE_LABELS[m["author_role"]], spreadsheet_safe(ERASED if m["erased"] else m["text"])]
        )
    return out.getvalue()
