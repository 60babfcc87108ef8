"""Messages: posted sealed with the author's key, read receipts, listing and CSV export."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app import notifications
from messaging.app.conversations import Access, access
from messaging.domain.notices import BERLIN, message_notice
from messaging.readmodels.tables import conversations, documents, messages, participants
from teilhabe_events.contexts.messaging import MessagePosted
from teilhabe_kit import sealing
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Unprocessable
from teilhabe_kit.streams import append

ERASED = "Diese Nachricht wurde gelöscht."


async def earlier(conn: AsyncConnection, principal: Principal, conversation_id: str, key: str | None):
    """The message an earlier POST with the same Idempotency-Key created here, if any."""
    if not key:
        return None
    return (
        await conn.execute(
            select(messages).where(
                messages.c.author_id == principal.account_id,
                messages.c.idempotency_key == key,
                messages.c.conversation_id == conversation_id,
            )
        )
    ).first()


async def post(
    conn: AsyncConnection,
    principal: Principal,
    conversation_id: str,
    text: str | None,
    *,
    document_id: str | None = None,
    checked: Access | None = None,
    idempotency_key: str | None = None,
) -> dict:
    """Post a message (text and/or a stored document); the other participants are notified
    (once until they read: further messages do not add notifications or e-mails).

    Posts are serialised per conversation (row lock), so a retried POST with the same
    Idempotency-Key finds the first message and gets it back instead of a second one.
    """
    entry = checked or await access(conn, principal, conversation_id, lock=True)
    if (first := await earlier(conn, principal, conversation_id, idempotency_key)) is not None:
        return {"id": first.id, "seq": first.seq}
    if not (text and text.strip()) and document_id is None:
        raise Unprocessable("Bitte schreiben Sie eine Nachricht.", field="text")
    try:
        sealed = await sealing.seal(conn, principal.account_id, text.strip()) if text and text.strip() else None
    except sealing.PersonErased:
        raise Unprocessable("Ihr Konto wurde gelöscht.", field="text") from None
    seq = entry.conversation.last_seq + 1
    message_id = uuid.uuid4().hex
    await conn.execute(
        messages.insert().values(
            id=message_id,
            conversation_id=conversation_id,
            seq=seq,
            author_id=principal.account_id,
            text=sealed,
            document_id=document_id,
            idempotency_key=idempotency_key,
        )
    )
    await conn.execute(update(conversations).where(conversations.c.id == conversation_id).values(last_seq=seq))
    await conn.execute(
        update(participants)
        .where(
            participants.c.conversation_id == conversation_id,
            participants.c.person_id == entry.as_person,
        )
        .values(read_seq=seq, read_at=func.now())
    )
    await append(
        conn,
        conversation_id,
        [
            MessagePosted(
                message_id=message_id,
                author_id=principal.account_id,
                with_document=document_id is not None,
            )
        ],
        actor_id=principal.account_id,
    )
    for person in entry.participant_ids:
        notice = message_notice(person, conversation_id)
        if person not in (entry.as_person, principal.account_id) and not await notifications.unread_like(
            conn, person, notice
        ):
            await notifications.create(conn, notice, person, source_event_id=message_id)
    return {"id": message_id, "seq": seq}


async def rows(conn: AsyncConnection, conversation_id: str, after: int, limit: int | None) -> list[dict]:
    query = (
        select(messages, documents.c.media_type, documents.c.size, documents.c.filename, documents.c.erased_at)
        .outerjoin(documents, documents.c.id == messages.c.document_id)
        .where(messages.c.conversation_id == conversation_id, messages.c.seq > after)
        .order_by(messages.c.seq)
    )
    found = (await conn.execute(query.limit(limit) if limit else query)).all()
    reads = (
        await conn.execute(
            select(participants.c.person_id, participants.c.read_seq).where(
                participants.c.conversation_id == conversation_id
            )
        )
    ).all()
    erased_authors = {a for a in {row.author_id for row in found} if await sealing.is_erased(conn, a)}
    result = []
    for row in found:
        erased = row.author_id in erased_authors
        text = await sealing.unseal(conn, row.author_id, row.text) if row.text and not erased else None
        document = None
        if row.document_id:
            gone = erased or row.erased_at is not None  # the author is the uploader
            document = {
                "id": row.document_id,
                "media_type": row.media_type,
                "size": row.size,
                "erased": gone,
                "filename": None if gone else await sealing.unseal(conn, row.author_id, row.filename),
            }
        result.append(
            {
                "id": row.id,
                "seq": row.seq,
                "author_id": row.author_id,
                "text": text,
                "erased": erased,
                "document": document,
                "posted_at": row.posted_at.isoformat(),
                "read_by": sorted(r.person_id for r in reads if r.read_seq >= row.seq and r.person_id != row.author_id),
            }
        )
    return result


async def listing(conn: AsyncConnection, principal: Principal, conversation_id: str, after: int, limit: int) -> dict:
    entry = await access(conn, principal, conversation_id)
    return {
        "conversation_id": conversation_id,
        "kind": entry.conversation.kind,
        "order_id": entry.conversation.order_id,
        "offer_id": entry.conversation.offer_id,
        "as_person": entry.as_person,
        "participant_ids": entry.participant_ids,
        "messages": await rows(conn, conversation_id, after, limit),
    }


async def mark_read(
    conn: AsyncConnection, principal: Principal, conversation_id: str, up_to: int, now: datetime
) -> int:
    """Record that the caller has read up to message `up_to` (never backwards); the new mark."""
    entry = await access(conn, principal, conversation_id)
    mark = min(up_to, entry.conversation.last_seq)
    await conn.execute(
        update(participants)
        .where(
            participants.c.conversation_id == conversation_id,
            participants.c.person_id == entry.as_person,
            participants.c.read_seq < mark,
        )
        .values(read_seq=mark, read_at=now)
    )
    if mark == entry.conversation.last_seq:
        await notifications.mark_read_like(conn, entry.as_person, message_notice(entry.as_person, conversation_id), now)
    return mark


def spreadsheet_safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


async def export_csv(conn: AsyncConnection, principal: Principal, conversation_id: str) -> str:
    await access(conn, principal, conversation_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Nr", "Zeit", "Von", "Nachricht", "Dokument"])
    for m in await rows(conn, conversation_id, 0, None):
        when = datetime.fromisoformat(m["posted_at"]).astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
        text = ERASED if m["erased"] else (m["text"] or "")
        doc = m["document"]
        doc_name = "" if doc is None else ("(gelöscht)" if doc["erased"] else doc["filename"] or "")
        writer.writerow([m["seq"], when, m["author_id"], spreadsheet_safe(text), spreadsheet_safe(doc_name)])
    return out.getvalue()
