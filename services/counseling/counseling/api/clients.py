"""Clients of a centre for its counselors and admins: open, search with filters, profile, master
data, primary counselor, bookmarks, notes and (admins) direct messages.

Who may: the centre's counselors and admins (token `org` = centre id); its clients get 403, everyone
else 404. E-mail and phone: admins only. Lock, unlock, deletion, restore and a new password are
identity's (`/api/v1/identity/centres/{centre_id}/clients/...`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from counseling.api import models
from counseling.api.deps import PREFIX, Caller, Engine, Identity
from counseling.app import access
from counseling.app import clients as cases
from counseling.app.streams import settings_of
from counseling.domain.client import check_filters
from counseling.readmodels import queries
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}", tags=["Ratsuchende"])
EMPTY = "Nicht gefunden? Filter prüfen"


@router.post(
    "/clients",
    status_code=201,
    response_model=models.ClientOpened,
    summary="Ratsuchende:n anlegen: Pseudonym, Kontakt und Stammdaten; das Start-Passwort wird einmal gezeigt "
    "(Beratende, Admins)",
)
async def open_client(
    centre_id: str, body: models.ClientIn, request: Request, caller: Caller, engine: Engine, identity: Identity
):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        check_filters(await settings_of(conn, centre_id), body.filters)  # before identity opens the account
    contact = {k: v for k, v in (("email", body.email), ("phone", body.phone)) if v}
    made = await identity.open_client(
        request.headers["Authorization"], centre_id, {"pseudonym": body.pseudonym, **contact}
    )
    client_id = made["account_id"]
    async with engine.begin() as conn:
        await cases.record_opened(conn, centre_id, client_id, made["pseudonym"], caller.account_id)
        await cases.change_master_data(
            conn,
            caller,
            centre_id,
            client_id,
            body.master_data.model_dump(mode="json", exclude_none=True),
            body.filters,
        )
    answer = models.ClientOpened(
        client_id=client_id, pseudonym=made["pseudonym"], initial_password=made["initial_password"]
    )
    return JSONResponse(answer.model_dump(mode="json"), status_code=201, headers={"Cache-Control": "no-store"})


@router.get(
    "/clients",
    response_model=models.ClientPage,
    summary="Ratsuchende suchen: Pseudonym (Teil), Stammberater:in (ID, `none` = ohne, `me`), Filterkriterien, "
    "Status, Merkliste, Gruppe; A–Z. Leer: „Nicht gefunden? Filter prüfen“ (Beratende, Admins)",
)
async def search(
    centre_id: str,
    caller: Caller,
    engine: Engine,
    q: Annotated[str | None, Query(max_length=80)] = None,
    primary: Annotated[str | None, Query(max_length=64)] = None,
    filter: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006 - FastAPI reads the default
    status: Annotated[str | None, Query(pattern="^(active|blocked|deleted)$")] = None,
    bookmarked: bool = False,
    group_id: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
):
    access.require_staff(caller, centre_id)
    search = queries.ClientSearch(
        q=q.strip() if q and q.strip() else None,
        primary=caller.account_id if primary == "me" else primary,
        filters=tuple(filter),
        status=status,
        bookmarked_by=caller.account_id if bookmarked else None,
        group_id=group_id,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    async with engine.connect() as conn:
        rows, total = await queries.search_clients(conn, centre_id, search)
    items = [
        models.ClientItem(
            client_id=r["id"],
            pseudonym=r["pseudonym"],
            status=r["status"],
            primary_counselor_id=r["primary_counselor_id"],
            filters=r["filters"],
            erase_after=r["erase_after"],
        )
        for r in rows
    ]
    found = models.ClientPage(items=items, total=total, empty_text=None if items else EMPTY)
    return Response(found.model_dump_json(), media_type="application/json")  # built once: no second validation


@router.get(
    "/clients/{client_id}",
    response_model=models.ClientOut,
    summary="Profil einer ratsuchenden Person: Stammdaten, Filter, Stammberater:in, Gruppen; E-Mail und Telefon "
    "nur für Admins (Beratende, Admins)",
)
async def client(centre_id: str, client_id: str, caller: Caller, engine: Engine, identity: Identity):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        row = await queries.client(conn, centre_id, client_id)
        if row is None:
            raise NotFound("Diese ratsuchende Person gibt es hier nicht.")
        bookmarked = await queries.is_bookmarked(conn, caller.account_id, client_id)
        groups = await queries.groups_of_client(conn, client_id)
    contact = None
    if access.admin_of(caller, centre_id):
        account = await identity.account(client_id)
        contact = models.Contact(email=account.email if account else None, phone=account.phone if account else None)
    return models.ClientOut(
        client_id=row.id,
        pseudonym=row.pseudonym,
        status=row.status,
        primary_counselor_id=row.primary_counselor_id,
        filters=list(row.filters),
        erase_after=row.erase_after,
        master_data=row.master_data,
        bookmarked=bookmarked,
        groups=[models.GroupRef(group_id=g.id, name=g.name, description=g.description) for g in groups],
        contact=contact,
        created_at=row.created_at,
    )


@router.put(
    "/clients/{client_id}/master-data",
    status_code=204,
    summary="Stammdaten und Filterkriterien ändern (Beratende, Admins)",
)
async def master_data(centre_id: str, client_id: str, body: models.MasterDataIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.change_master_data(
            conn,
            caller,
            centre_id,
            client_id,
            body.master_data.model_dump(mode="json", exclude_none=True),
            body.filters,
        )
    return Response(status_code=204)


@router.put(
    "/clients/{client_id}/primary-counselor",
    status_code=204,
    summary="Stammberater:in von Hand setzen oder entfernen (null) (Beratende, Admins)",
)
async def primary(centre_id: str, client_id: str, body: models.PrimaryIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.assign_primary(conn, caller, centre_id, client_id, body.counselor_id)
    return Response(status_code=204)


@router.put("/bookmarks/{client_id}", status_code=204, summary="Auf die eigene Merkliste setzen (Beratende, Admins)")
async def bookmark(centre_id: str, client_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.bookmark(conn, caller, centre_id, client_id, on=True)
    return Response(status_code=204)


@router.delete(
    "/bookmarks/{client_id}", status_code=204, summary="Von der eigenen Merkliste nehmen (Beratende, Admins)"
)
async def unbookmark(centre_id: str, client_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.bookmark(conn, caller, centre_id, client_id, on=False)
    return Response(status_code=204)


@router.get(
    "/clients/{client_id}/notes",
    response_model=list[models.NoteOut],
    summary="Notizen, neueste zuerst (Beratende, Admins)",
)
async def notes(centre_id: str, client_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        await _known(conn, centre_id, client_id)
        rows = await queries.notes_of(conn, client_id)
    return [models.NoteOut(note_id=r.id, text=r.text, author_id=r.author_id, created_at=r.created_at) for r in rows]


@router.post("/clients/{client_id}/notes", status_code=201, summary="Notiz anlegen (Beratende, Admins)")
async def add_note(centre_id: str, client_id: str, body: models.NoteIn, caller: Caller, engine: Engine) -> dict:
    async with engine.begin() as conn:
        note_id = await cases.add_note(conn, caller, centre_id, client_id, body.text)
    return {"note_id": note_id}


@router.delete(
    "/clients/{client_id}/notes/{note_id}",
    status_code=204,
    summary="Notiz löschen (wer sie schrieb, Admins)",
)
async def delete_note(centre_id: str, client_id: str, note_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.delete_note(conn, caller, centre_id, client_id, note_id)
    return Response(status_code=204)


@router.get(
    "/clients/{client_id}/messages",
    response_model=list[models.MessageOut],
    summary="Direkt-Nachrichten an die Person, neueste zuerst (Admins)",
)
async def messages(centre_id: str, client_id: str, caller: Caller, engine: Engine):
    access.require_admin(caller, centre_id)
    async with engine.connect() as conn:
        await _known(conn, centre_id, client_id)
        rows = await queries.messages_of(conn, client_id)
    return [
        models.MessageOut(message_id=r.id, subject=r.subject, body=r.body, sent_by=r.sent_by, sent_at=r.sent_at)
        for r in rows
    ]


@router.post(
    "/clients/{client_id}/messages",
    status_code=201,
    summary="Direkt-Nachricht senden: die Person wird über ihren Kanal (E-Mail oder SMS) benachrichtigt und liest "
    "sie nach der Anmeldung (Admins)",
)
async def write_message(centre_id: str, client_id: str, body: models.MessageIn, caller: Caller, engine: Engine) -> dict:
    async with engine.begin() as conn:
        message_id = await cases.write_message(conn, caller, centre_id, client_id, body.subject, body.body)
    return {"message_id": message_id}


async def _known(conn, centre_id: str, client_id: str) -> None:
    if await queries.client(conn, centre_id, client_id) is None:
        raise NotFound("Diese ratsuchende Person gibt es hier nicht.")
