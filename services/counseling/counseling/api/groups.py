"""Groups of clients (name and description visible to the members): the centre's counselors and
admins create them and add or remove members; the creator or an admin deletes them."""

from __future__ import annotations

from fastapi import APIRouter, Response

from counseling.api import models
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.app import groups as cases
from counseling.readmodels import queries
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=f"{PREFIX}/centres/{{centre_id}}/groups", tags=["Gruppen"])


@router.get("", response_model=list[models.GroupOut], summary="Gruppen der Stelle, A–Z (Beratende, Admins)")
async def list_groups(centre_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        rows = await queries.groups(conn, centre_id)
    return [
        models.GroupOut(
            group_id=r.id, name=r.name, description=r.description, created_by=r.created_by, members=r.members
        )
        for r in rows
    ]


@router.post("", status_code=201, summary="Gruppe anlegen: Name und Beschreibung (für Ratsuchende sichtbar)")
async def create(centre_id: str, body: models.GroupIn, caller: Caller, engine: Engine) -> dict:
    async with engine.begin() as conn:
        group_id = await cases.create(conn, caller, centre_id, body.name, body.description)
    return {"group_id": group_id}


@router.get("/{group_id}", response_model=models.GroupOut, summary="Eine Gruppe (Beratende, Admins)")
async def group(centre_id: str, group_id: str, caller: Caller, engine: Engine):
    access.require_staff(caller, centre_id)
    async with engine.connect() as conn:
        rows = [r for r in await queries.groups(conn, centre_id) if r.id == group_id]
    if not rows:
        raise NotFound("Diese Gruppe gibt es nicht.")
    r = rows[0]
    return models.GroupOut(
        group_id=r.id, name=r.name, description=r.description, created_by=r.created_by, members=r.members
    )


@router.put("/{group_id}", status_code=204, summary="Name und Beschreibung ändern (Beratende, Admins)")
async def describe(centre_id: str, group_id: str, body: models.GroupIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.describe(conn, caller, centre_id, group_id, body.name, body.description)
    return Response(status_code=204)


@router.post("/{group_id}/members", status_code=204, summary="Teilnehmer:in hinzufügen (Beratende, Admins)")
async def add_member(centre_id: str, group_id: str, body: models.GroupMemberIn, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.add_member(conn, caller, centre_id, group_id, body.client_id)
    return Response(status_code=204)


@router.delete(
    "/{group_id}/members/{client_id}", status_code=204, summary="Teilnehmer:in entfernen (Beratende, Admins)"
)
async def remove_member(centre_id: str, group_id: str, client_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.remove_member(conn, caller, centre_id, group_id, client_id)
    return Response(status_code=204)


@router.delete("/{group_id}", status_code=204, summary="Gruppe löschen (wer sie anlegte, Admins)")
async def delete(centre_id: str, group_id: str, caller: Caller, engine: Engine):
    async with engine.begin() as conn:
        await cases.delete(conn, caller, centre_id, group_id)
    return Response(status_code=204)
