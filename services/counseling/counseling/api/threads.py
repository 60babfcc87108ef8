"""Mail counseling (Mailberatung): clients send requests to their centre and read the answers; the
centre's team works them from the inboxes (new / mine / released / overdue), drafts, releases, takes
over, answers and records a case record from a thread."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, UploadFile
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.api import thread_models as models
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.app import records as cases
from counseling.app import streams as counseling_streams
from counseling.app import thread_attachments as attachments
from counseling.app import thread_personal_data as personal_data
from counseling.app import threads as mail
from counseling.app.export import period
from counseling.app.thread_streams import history, settings_of
from counseling.domain import thread_events as t
from counseling.domain.records import Source
from counseling.readmodels import thread_queries
from counseling.readmodels.thread_statistics import mail_statistics
from teilhabe_events.contexts import mail_counseling as pub
from teilhabe_kit import documents, sealing
from teilhabe_kit.auth import Principal, Role

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}/mail-threads", tags=["Mailberatung"])
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
statistics_router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}/mail-statistics", tags=["Mailberatung"])
settings_router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}/mail-settings", tags=["Mailberatung"])


async def _summary(conn: AsyncConnection, row: Any, overdue_days: int, now: datetime) -> models.ThreadSummary:
    return models.ThreadSummary(
        thread_id=row.id,
        client_id=row.client_id,
        subject=await sealing.unseal(conn, row.id, row.sealed_subject),
        status=row.status,
        assignee_id=row.assignee_id,
        created_at=row.created_at,
        waiting_since=row.waiting_since,
        due_at=row.waiting_since + timedelta(days=overdue_days) if row.waiting_since else None,
        overdue=row.waiting_since is not None and row.waiting_since < now - timedelta(days=overdue_days),
    )


async def _overdue_days(conn: AsyncConnection, centre_id: str) -> int:
    return (await counseling_streams.settings_of(conn, centre_id)).mail_overdue_days


@router.post("", status_code=201, summary="Neue Mailanfrage an die eigene Beratungsstelle (Ratsuchende)")
async def send(centre_id: str, body: models.RequestIn, caller: Caller, engine: Engine) -> dict:
    async with engine.begin() as conn:
        given = body.personal_data.model_dump(mode="json", exclude_defaults=True) if body.personal_data else None
        thread_id = await mail.send_request(conn, caller, centre_id, body.subject, body.text, given)
    return {"thread_id": thread_id}


@router.get(
    "",
    response_model=list[models.ThreadSummary],
    summary="Posteingang der Mailberatung: new (noch niemandem zugeteilt), mine, released, overdue (Team); "
    "Ratsuchende: die eigenen Anfragen",
)
async def inbox(centre_id: str, caller: Caller, engine: Engine, box: thread_queries.Box = "mine"):
    now = datetime.now(UTC)
    async with engine.connect() as conn:
        days = await _overdue_days(conn, centre_id)
        if caller.has(Role.CLIENT):
            rows = await thread_queries.of_client(conn, mail.client_of(caller, centre_id))
        else:
            access.require_staff(caller, centre_id)
            rows = await thread_queries.inbox(
                conn,
                centre_id,
                box,
                caller.account_id,
                admin=access.admin_of(caller, centre_id),
                openness=(await settings_of(conn, centre_id)).openness,
                overdue_days=days,
                now=now,
            )
        return [await _summary(conn, row, days, now) for row in rows]


async def _thread_out(conn: AsyncConnection, caller: Principal, centre_id: str, thread_id: str) -> models.ThreadOut:
    await mail.readable(conn, caller, centre_id, thread_id)
    now = datetime.now(UTC)
    [row] = [r for r in await thread_queries.of_thread(conn, thread_id)]
    summary = await _summary(conn, row, await _overdue_days(conn, centre_id), now)
    messages: list[models.MessageOut] = []
    draft: models.DraftOut | None = None
    given = None
    for envelope, event in await history(conn, thread_id):
        if isinstance(event, t.RequestWritten):
            author = row.client_id
            given = event.personal_data
            messages.append(
                models.MessageOut(
                    message_id=event.message_id,
                    author_role="client",
                    author_id=author,
                    text=event.text,
                    sent_at=envelope.occurred_at,
                )
            )
        elif isinstance(event, t.MessageWritten):
            messages.append(
                models.MessageOut(
                    message_id=event.message_id,
                    author_role=event.author_role,
                    author_id=event.author_id,
                    text=event.text,
                    sent_at=envelope.occurred_at,
                )
            )
        elif isinstance(event, t.DraftSaved):
            draft = (
                None
                if event.cleared or event.text is None
                else models.DraftOut(author_id=event.author_id, text=event.text)
            )
        elif isinstance(event, pub.MailReplySent):
            draft = None
    if caller.has(Role.CLIENT):
        draft = None
    files = [_attachment_out(centre_id, thread_id, f) for f in await attachments.of_thread(conn, thread_id)]
    return models.ThreadOut(
        **summary.model_dump(), messages=messages, attachments=files, personal_data=given, draft=draft
    )


def _attachment_out(centre_id: str, thread_id: str, file: attachments.Attachment) -> models.AttachmentOut:
    return models.AttachmentOut(
        attachment_id=file.id,
        filename=file.filename,
        media_type=file.media_type,
        size_bytes=file.size_bytes,
        author_role=file.author_role,
        author_id=file.author_id,
        uploaded_at=file.uploaded_at,
        url=f"{PREFIX}/centres/{centre_id}/mail-threads/{thread_id}/attachments/{file.id}",
    )


@router.get("/{thread_id}", response_model=models.ThreadOut, summary="Eine Mailanfrage mit allen Nachrichten")
async def show(centre_id: str, thread_id: str, caller: Caller, engine: Engine):
    async with engine.connect() as conn:
        return await _thread_out(conn, caller, centre_id, thread_id)


@router.patch("/{thread_id}", summary="Betreff ändern: immer abgelehnt (409), der Verlauf hängt am Betreff")
async def change(centre_id: str, thread_id: str, body: models.SubjectChangeIn, caller: Caller, engine: Engine):
    async with engine.connect() as conn:
        await mail.change_subject(conn, caller, centre_id, thread_id)


@router.post(
    "/{thread_id}/messages",
    status_code=201,
    summary="Antworten (zuständige Berater:in) oder nachfragen (die Ratsuchende Person der Anfrage)",
)
async def write(centre_id: str, thread_id: str, body: models.MessageIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await mail.write(conn, caller, centre_id, thread_id, body.text)
    return Response(status_code=201)


@router.post(
    "/{thread_id}/attachments",
    status_code=201,
    response_model=models.AttachmentOut,
    summary="Datei anhängen: PDF, PNG oder JPEG, höchstens 10 MB (die Ratsuchende Person der Anfrage oder die "
    "zuständige Berater:in)",
)
async def attach(centre_id: str, thread_id: str, file: UploadFile, caller: Caller, engine: Engine):
    async with engine.connect() as conn:
        await mail.readable(conn, caller, centre_id, thread_id)  # strangers learn nothing from the file check
    content = await file.read(MAX_ATTACHMENT_BYTES + 1)
    accepted = documents.check(
        content,
        max_bytes=MAX_ATTACHMENT_BYTES,
        field="file",
        filename=file.filename or "anhang",
        declared_type=file.content_type,
    )
    name = accepted.filename or documents.file_name("anhang", accepted.media_type)
    async with engine.begin() as conn:
        stored = await attachments.attach(
            conn, caller, centre_id, thread_id, filename=name, media_type=accepted.media_type, content=content
        )
    return _attachment_out(centre_id, thread_id, stored)


@router.get(
    "/{thread_id}/attachments/{attachment_id}",
    response_class=Response,
    summary="Anhang herunterladen (wer die Anfrage lesen darf)",
)
async def download(centre_id: str, thread_id: str, attachment_id: str, caller: Caller, engine: Engine):
    async with engine.connect() as conn:
        filename, media_type, content = await attachments.fetch(conn, caller, centre_id, thread_id, attachment_id)
    return Response(content, media_type=media_type, headers=documents.download_headers(filename))


@router.put(
    "/{thread_id}/draft",
    status_code=204,
    summary="Entwurf speichern; mit release=true 'Entwurf speichern und freigeben' (zuständige Berater:in)",
)
async def draft(centre_id: str, thread_id: str, body: models.DraftIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await mail.save_draft(conn, caller, centre_id, thread_id, body.text, release=body.release)
    return Response(status_code=204)


@router.post(
    "/{thread_id}/takeover",
    status_code=204,
    summary="Anfrage übernehmen, mit dem Entwurf (je nach Offenheit der Stelle; Admins immer)",
)
async def take_over(centre_id: str, thread_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await mail.take_over(conn, caller, centre_id, thread_id)
    return Response(status_code=204)


@router.get(
    "/{thread_id}/previous",
    response_model=list[models.ThreadSummary],
    summary="Bisherige Anfragen derselben Person, neueste zuerst (Team)",
)
async def previous(centre_id: str, thread_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    now = datetime.now(UTC)
    async with engine.connect() as conn:
        state = await mail.readable(conn, caller, centre_id, thread_id)
        days = await _overdue_days(conn, centre_id)
        rows = [r for r in await thread_queries.of_client(conn, state.client_id) if r.id != thread_id]
        return [await _summary(conn, row, days, now) for row in rows]


@router.post(
    "/{thread_id}/records",
    status_code=201,
    summary="Monitoring zur Mailanfrage anlegen (Kanal Mailberatung, die Person der Anfrage)",
)
async def record(centre_id: str, thread_id: str, body: models.ThreadRecordIn, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.begin() as conn:
        state = await mail.readable(conn, caller, centre_id, thread_id)
        record_id = await cases.add(
            conn,
            caller,
            centre_id,
            state.client_id,
            channel="mail",
            source=Source("mail_thread", thread_id),
            **body.model_dump(),
        )
    return {"record_id": record_id}


@router.post(
    "/{thread_id}/personal-data/profile",
    status_code=204,
    summary="'In Profil übernehmen': die persönlichen Angaben der Anfrage in die Stammdaten der Person (Team)",
)
async def personal_data_into_profile(centre_id: str, thread_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await personal_data.into_profile(conn, caller, centre_id, thread_id)
    return Response(status_code=204)


@router.post(
    "/{thread_id}/personal-data/record",
    status_code=201,
    summary="'In Monitoring übernehmen': ein Monitoring zur Anfrage mit ihren persönlichen Angaben in den "
    "gleichnamigen Feldern der Stelle (Team)",
)
async def personal_data_into_record(
    centre_id: str, thread_id: str, body: models.ThreadRecordIn, caller: Caller, engine: Engine
):
    async with engine.begin() as conn:
        record_id = await personal_data.into_record(conn, caller, centre_id, thread_id, **body.model_dump())
    return {"record_id": record_id}


@settings_router.get("", response_model=models.MailSettingsOut, summary="Einstellungen der Mailberatung (Team)")
async def show_settings(centre_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        current = await settings_of(conn, centre_id)
    return models.MailSettingsOut(
        availability=current.availability,
        fallback_counselor_id=current.fallback_counselor_id,
        openness=current.openness,
    )


@settings_router.put(
    "",
    status_code=204,
    summary="Verfügbarkeit der Berater:innen (unbegrenzt, keine, nach freien Ressourcen), Ersatz-Berater:in und "
    "Offenheit (Admins)",
)
async def change_settings(centre_id: str, body: models.MailSettingsIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await mail.change_settings(
            conn, caller, centre_id, body.availability, body.fallback_counselor_id, body.openness
        )
    return Response(status_code=204)


@statistics_router.get(
    "",
    response_model=models.MailStatistics,
    summary="Antwortzeiten der Mailberatung für einen Zeitraum (Standard: Jahresanfang bis heute): beantwortete "
    "Anfragen, Wartezeit (Median, Mittel, längste), in der Frist beantwortet; wartende und überfällige Anfragen "
    "(Admins)",
)
async def response_times(
    centre_id: str,
    caller: Caller,
    engine: Engine,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
):
    access.require_admin(caller, centre_id)
    first, last = period(start, end)
    async with engine.connect() as conn:
        figures = await mail_statistics(
            conn, centre_id, first, last, await _overdue_days(conn, centre_id), datetime.now(UTC)
        )
    return models.MailStatistics(start=first, end=last, **figures)
