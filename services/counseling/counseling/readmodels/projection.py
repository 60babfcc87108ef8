"""The read models of counseling's streams, updated from the typed events (clear values) in the
commit's transaction and by the replay (which opens the sealed fields first)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.domain import events as e
from counseling.domain.settings import DEFAULT_DELETION_DAYS, DEFAULT_OVERDUE_DAYS
from counseling.readmodels.tables import (
    bookmarks,
    case_records,
    centre_settings,
    client_documents,
    client_groups,
    clients,
    counselors,
    direct_messages,
    group_members,
    notes,
    record_months,
)
from teilhabe_events import DomainEvent
from teilhabe_events.contexts import counseling as pub

ERASED_CLIENT: dict[str, Any] = {
    "pseudonym": None,
    "pseudonym_key": None,
    "master_data": {},
    "filters": [],
    "status": "erased",
}


def search_key(pseudonym: str | None) -> str | None:
    return " ".join(pseudonym.split()).casefold() if pseudonym else None


async def project(conn: AsyncConnection, stream_id: str, event: e.Event | DomainEvent, at: datetime) -> None:
    """Apply one event of any counseling stream to the read models."""
    match event:
        case e.ClientOpened():
            await conn.execute(
                insert(clients)
                .values(
                    id=stream_id,
                    centre_id=event.centre_id,
                    pseudonym=event.pseudonym,
                    pseudonym_key=search_key(event.pseudonym),
                    opened_by=event.opened_by,
                    created_at=at,
                    updated_at=at,
                )
                .on_conflict_do_nothing()
            )
        case e.MasterDataChanged():
            await _client(conn, stream_id, at, master_data=event.master_data or {}, filters=event.filters or [])
        case pub.PrimaryCounselorAssigned():
            await _client(conn, stream_id, at, primary_counselor_id=event.counselor_id)
        case e.ClientStatusChanged():
            erase_after = date.fromisoformat(event.erase_after) if event.erase_after else None
            await _client(conn, stream_id, at, status=event.status, erase_after=erase_after)
        case e.NoteAdded():
            await conn.execute(
                insert(notes)
                .values(
                    id=event.note_id, client_id=stream_id, author_id=event.author_id, text=event.text, created_at=at
                )
                .on_conflict_do_nothing()
            )
        case e.NoteDeleted():
            await conn.execute(delete(notes).where(notes.c.id == event.note_id))
        case e.DirectMessageWritten():
            await conn.execute(
                insert(direct_messages)
                .values(
                    id=event.message_id,
                    client_id=stream_id,
                    sent_by="",
                    subject=event.subject,
                    body=event.body,
                    sent_at=at,
                )
                .on_conflict_do_nothing()
            )
        case pub.DirectMessageSent():
            await conn.execute(
                update(direct_messages).where(direct_messages.c.id == event.message_id).values(sent_by=event.sent_by)
            )
        case pub.ClientErased():
            await _client(conn, stream_id, at, **ERASED_CLIENT)
            for table in (notes, direct_messages, client_documents):
                await conn.execute(delete(table).where(table.c.client_id == stream_id))
            await conn.execute(update(case_records).where(case_records.c.client_id == stream_id).values(fields={}))
            await conn.execute(delete(bookmarks).where(bookmarks.c.client_id == stream_id))
            await conn.execute(delete(group_members).where(group_members.c.client_id == stream_id))
        case pub.CaseRecordAdded():
            added = await conn.scalar(
                insert(case_records)
                .values(
                    id=stream_id,
                    centre_id=event.centre_id,
                    client_id=event.client_id,
                    counselor_id=event.counselor_id,
                    occurred_on=event.occurred_on,
                    minutes=event.minutes,
                    subject=event.subject,
                    channel=event.channel,
                    created_at=at,
                    updated_at=at,
                )
                .on_conflict_do_nothing()
                .returning(case_records.c.id)
            )
            if added is not None:
                await _count(
                    conn,
                    event.centre_id,
                    event.occurred_on,
                    event.subject,
                    event.channel,
                    event.counselor_id,
                    1,
                    event.minutes,
                )
        case pub.CaseRecordChanged():
            await _uncount(conn, stream_id)
            changed = await conn.execute(
                update(case_records)
                .where(case_records.c.id == stream_id)
                .values(
                    occurred_on=event.occurred_on,
                    minutes=event.minutes,
                    subject=event.subject,
                    channel=event.channel,
                    updated_at=at,
                )
                .returning(case_records.c.centre_id, case_records.c.counselor_id)
            )
            row = changed.first()
            if row is not None:
                await _count(
                    conn,
                    row.centre_id,
                    event.occurred_on,
                    event.subject,
                    event.channel,
                    row.counselor_id,
                    1,
                    event.minutes,
                )
        case e.CaseRecordDetails():
            await conn.execute(
                update(case_records)
                .where(case_records.c.id == stream_id)
                .values(fields=event.fields or {}, source_type=event.source_type, source_id=event.source_id)
            )
        case pub.CaseRecordDeleted():
            await _uncount(conn, stream_id)
            await conn.execute(delete(case_records).where(case_records.c.id == stream_id))
        case pub.ClientGroupCreated():
            await conn.execute(
                insert(client_groups)
                .values(id=stream_id, centre_id=event.centre_id, name="", created_by=event.created_by, created_at=at)
                .on_conflict_do_nothing()
            )
        case e.GroupDescribed():
            await conn.execute(
                update(client_groups)
                .where(client_groups.c.id == stream_id)
                .values(name=event.name, description=event.description)
            )
        case pub.ClientGroupMemberAdded():
            await conn.execute(
                insert(group_members).values(group_id=stream_id, client_id=event.client_id).on_conflict_do_nothing()
            )
        case pub.ClientGroupMemberRemoved():
            await conn.execute(
                delete(group_members).where(
                    group_members.c.group_id == stream_id, group_members.c.client_id == event.client_id
                )
            )
        case pub.ClientGroupDeleted():
            await conn.execute(delete(group_members).where(group_members.c.group_id == stream_id))
            await conn.execute(delete(client_groups).where(client_groups.c.id == stream_id))
        case pub.CounselingSettingsChanged():
            values = {
                "automatic_primary_counselor": event.automatic_primary_counselor,
                "mail_overdue_days": event.mail_overdue_days,
                "deletion_days": event.deletion_days,
            }
            await _settings(conn, stream_id, values)
        case e.SettingsDetailsChanged():
            await _settings(conn, stream_id, event.model_dump(mode="json"))
        case e.CounselorProfileChanged():
            profile: dict[str, Any] = {
                "centre_id": event.centre_id,
                "internal": event.internal,
                "display_name": event.display_name,
                "description": event.description,
                "languages": event.languages,
            }
            await conn.execute(
                insert(counselors)
                .values(id=stream_id, **profile)
                .on_conflict_do_update(index_elements=["id"], set_=profile)
            )
        case e.CounselorPhotoChanged():
            await conn.execute(update(counselors).where(counselors.c.id == stream_id).values(photo_id=event.photo_id))
        case e.BookmarkAdded():
            await conn.execute(
                insert(bookmarks)
                .values(counselor_id=stream_id, client_id=event.client_id, centre_id=event.centre_id, created_at=at)
                .on_conflict_do_nothing()
            )
        case e.BookmarkRemoved():
            await conn.execute(
                delete(bookmarks).where(bookmarks.c.counselor_id == stream_id, bookmarks.c.client_id == event.client_id)
            )


async def _count(
    conn: AsyncConnection,
    centre_id: str,
    occurred_on: date,
    subject: str,
    channel: str,
    counselor_id: str,
    records: int,
    minutes: int,
) -> None:
    """Add a record (or, negative, take it away) in the month's sums of its subject, channel and counselor."""
    key = {
        "centre_id": centre_id,
        "month": occurred_on.replace(day=1),
        "subject": subject,
        "channel": channel,
        "counselor_id": counselor_id,
    }
    await conn.execute(
        insert(record_months)
        .values(**key, records=records, minutes=minutes)
        .on_conflict_do_update(
            index_elements=list(key),
            set_={
                "records": record_months.c.records + records,
                "minutes": record_months.c.minutes + minutes,
            },
        )
    )


async def _uncount(conn: AsyncConnection, record_id: str) -> None:
    """Take the record as it stands from its month's sums (before it changes or goes)."""
    old = (await conn.execute(select(case_records).where(case_records.c.id == record_id))).first()
    if old is not None:
        await _count(conn, old.centre_id, old.occurred_on, old.subject, old.channel, old.counselor_id, -1, -old.minutes)


async def _client(conn: AsyncConnection, client_id: str, at: datetime, **values) -> None:
    await conn.execute(update(clients).where(clients.c.id == client_id).values(**values, updated_at=at))


async def _settings(conn: AsyncConnection, centre_id: str, values: dict) -> None:
    defaults = {"mail_overdue_days": DEFAULT_OVERDUE_DAYS, "deletion_days": DEFAULT_DELETION_DAYS, "version": 0}
    await conn.execute(
        insert(centre_settings)
        .values(centre_id=centre_id, **(defaults | values))
        .on_conflict_do_update(index_elements=["centre_id"], set_=values)
    )
