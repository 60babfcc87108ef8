"""A client's own view (role `client`): the own account in counseling, the direct messages of the
centre and the own groups. A client never sees other clients."""

from __future__ import annotations

from fastapi import APIRouter

from counseling.api import models
from counseling.api.counselors import public
from counseling.api.deps import PREFIX, Caller, Engine
from counseling.app import access
from counseling.readmodels import queries
from teilhabe_kit.problems import NotFound

router = APIRouter(prefix=f"{PREFIX}/me", tags=["Ratsuchende selbst"])


@router.get("", response_model=models.MyAccount, summary="Mein Konto bei der Beratungsstelle (Ratsuchende)")
async def me(caller: Caller, engine: Engine):
    centre_id = access.require_client(caller)
    async with engine.connect() as conn:
        row = await queries.client(conn, centre_id, caller.account_id)
        if row is None:
            raise NotFound("Ihr Konto ist hier noch nicht bekannt. Bitte versuchen Sie es gleich noch einmal.")
        primary = await queries.counselor(conn, row.primary_counselor_id) if row.primary_counselor_id else None
        groups = await queries.groups_of_client(conn, caller.account_id)
    return models.MyAccount(
        client_id=row.id,
        centre_id=centre_id,
        pseudonym=row.pseudonym,
        primary_counselor=public(centre_id, primary) if primary else None,
        groups=[models.GroupRef(group_id=g.id, name=g.name, description=g.description) for g in groups],
    )


@router.get(
    "/messages", response_model=list[models.MessageOut], summary="Nachrichten meiner Beratungsstelle, neueste zuerst"
)
async def messages(caller: Caller, engine: Engine):
    access.require_client(caller)
    async with engine.connect() as conn:
        rows = await queries.messages_of(conn, caller.account_id)
    return [
        models.MessageOut(message_id=r.id, subject=r.subject, body=r.body, sent_by=r.sent_by, sent_at=r.sent_at)
        for r in rows
    ]


@router.get(
    "/counselors",
    response_model=list[models.CounselorPublic],
    summary="Die Berater:innen meiner Stelle: Benutzername, Beschreibung, Sprachen, Bild (Ratsuchende)",
)
async def counselors(caller: Caller, engine: Engine):
    centre_id = access.require_client(caller)
    async with engine.connect() as conn:
        return [public(centre_id, r) for r in await queries.counselors_of(conn, centre_id)]
