"""Online status and delivery preferences of a person."""

from __future__ import annotations

from datetime import time

from sqlalchemy import and_, exists, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from messaging.readmodels.tables import participants, preferences, presence
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound

STATUSES = ("online", "not_online", "not_reachable")
LABELS = {"online": "Online", "not_online": "Nicht online", "not_reachable": "Nicht erreichbar"}


async def set_status(conn: AsyncConnection, person_id: str, status: str) -> None:
    await conn.execute(
        insert(presence)
        .values(person_id=person_id, status=status)
        .on_conflict_do_update(index_elements=["person_id"], set_={"status": status, "changed_at": func.now()})
    )


async def shares_conversation(conn: AsyncConnection, principal: Principal, person_id: str) -> bool:
    mine, theirs = aliased(participants), aliased(participants)
    people = [principal.account_id, *principal.acting_for]
    return bool(
        await conn.scalar(
            select(
                exists().where(
                    and_(
                        mine.c.person_id.in_(people),
                        theirs.c.person_id == person_id,
                        mine.c.conversation_id == theirs.c.conversation_id,
                    )
                )
            )
        )
    )


async def status_of(conn: AsyncConnection, principal: Principal, person_id: str) -> dict:
    """Visible to the person, their guardian and whoever shares a conversation with them."""
    if not (principal.may_act_for(person_id) or await shares_conversation(conn, principal, person_id)):
        raise NotFound("Diese Person kennen Sie aus keinem Gespräch.")
    status = await conn.scalar(select(presence.c.status).where(presence.c.person_id == person_id)) or "not_online"
    return {"person_id": person_id, "status": status, "label": LABELS[status]}


async def get_preferences(conn: AsyncConnection, person_id: str) -> dict:
    row = (await conn.execute(select(preferences).where(preferences.c.person_id == person_id))).first()
    return {
        "person_id": person_id,
        "in_app": True,
        "email": True if row is None else row.email,
        "sms": bool(row and row.sms),
        "quiet_from": row.quiet_from.strftime("%H:%M") if row and row.quiet_from else None,
        "quiet_until": row.quiet_until.strftime("%H:%M") if row and row.quiet_until else None,
    }


async def set_preferences(
    conn: AsyncConnection, person_id: str, email: bool, sms: bool, quiet_from: time | None, quiet_until: time | None
) -> dict:
    values = {"email": email, "sms": sms, "quiet_from": quiet_from, "quiet_until": quiet_until}
    await conn.execute(
        insert(preferences)
        .values(person_id=person_id, **values)
        .on_conflict_do_update(index_elements=["person_id"], set_=values)
    )
    return await get_preferences(conn, person_id)
