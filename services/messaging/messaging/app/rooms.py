"""Video rooms for a conversation, a meeting (appointment) or a counseling chat: Jitsi links with signed room tokens,
or an external static link. The creator moderates and alone gets the moderator and seminar links."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from messaging.app.chat_access import Party, enter
from messaging.app.chat_signals import chat_key, signal
from messaging.app.conversations import access
from messaging.domain.video import room_links
from messaging.readmodels.tables import meetings, video_rooms
from messaging.settings import Settings
from teilhabe_events.contexts.counseling_chat import ChatVideoCallStarted
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.problems import Conflict, Forbidden, NotFound
from teilhabe_kit.streams import append


def view(row, person_id: str, settings: Settings) -> dict:
    base = {
        "id": row.id,
        "conversation_id": row.conversation_id,
        "contract_id": row.contract_id,
        "chat_id": row.chat_id,
        "moderator_id": row.moderator_id,
        "created_at": row.created_at.isoformat(),
    }
    if row.external_url:
        return base | {"external_url": row.external_url}
    links = room_links(
        settings.video_base_url,
        settings.video_app_id,
        settings.video_app_secret,
        row.room,
        row.moderator_id,
        datetime.now(UTC),
        timedelta(minutes=settings.video_token_minutes),
    )
    view = base | {"guest_url": links.guest_url, "expires_at": links.expires_at.isoformat()}
    if person_id == row.moderator_id:
        view |= {"moderator_url": links.moderator_url, "seminar_url": links.seminar_url}
    return view


async def _create(conn: AsyncConnection, person_id: str, settings: Settings, external_url: str | None, **where) -> dict:
    return await create_row(conn, person_id, person_id, settings, external_url, **where)


async def create_row(
    conn: AsyncConnection,
    moderator_id: str,
    person_id: str,
    settings: Settings,
    external_url: str | None = None,
    **where,
) -> dict:
    """A new room moderated by `moderator_id`, as `person_id` sees it."""
    row = (
        await conn.execute(
            video_rooms.insert()
            .values(
                id=uuid.uuid4().hex,
                moderator_id=moderator_id,
                room=f"teilhabe-{secrets.token_hex(12)}",
                external_url=external_url or settings.video_external_url or None,
                **where,
            )
            .returning(video_rooms)
        )
    ).one()
    return view(row, person_id, settings)


async def _latest(conn: AsyncConnection, person_id: str, settings: Settings, condition) -> dict:
    row = (
        await conn.execute(select(video_rooms).where(condition).order_by(video_rooms.c.created_at.desc()).limit(1))
    ).first()
    if row is None:
        raise NotFound("Hierfür gibt es noch keinen Video-Raum.")
    return view(row, person_id, settings)


async def create(
    conn: AsyncConnection, principal: Principal, conversation_id: str, external_url: str | None, settings: Settings
) -> dict:
    await access(conn, principal, conversation_id)
    return await _create(conn, principal.account_id, settings, external_url, conversation_id=conversation_id)


async def latest(conn: AsyncConnection, principal: Principal, conversation_id: str, settings: Settings) -> dict:
    await access(conn, principal, conversation_id)
    return await _latest(conn, principal.account_id, settings, video_rooms.c.conversation_id == conversation_id)


async def _meeting_access(conn: AsyncConnection, principal: Principal, contract_id: str) -> None:
    """The seeker (or guardian), the assistant and the provider's coordinators of a scheduled meeting."""
    row = (await conn.execute(select(meetings).where(meetings.c.contract_id == contract_id))).first()
    if row is None:
        raise NotFound("Für diesen Vertrag ist kein Treffen vereinbart.")
    coordinator = (
        principal.has(Role.COORDINATOR) and row.organisation_id and principal.organisation_id == row.organisation_id
    )
    if not (principal.may_act_for(row.seeker_id) or principal.account_id == row.assistant_id or coordinator):
        raise Forbidden("Diesen Video-Raum können nur die Beteiligten des Treffens öffnen.")


async def create_for_meeting(
    conn: AsyncConnection, principal: Principal, contract_id: str, external_url: str | None, settings: Settings
) -> dict:
    await _meeting_access(conn, principal, contract_id)
    return await _create(conn, principal.account_id, settings, external_url, contract_id=contract_id)


async def latest_for_meeting(conn: AsyncConnection, principal: Principal, contract_id: str, settings: Settings) -> dict:
    await _meeting_access(conn, principal, contract_id)
    return await _latest(conn, principal.account_id, settings, video_rooms.c.contract_id == contract_id)


async def create_for_chat(
    conn: AsyncConnection, party: Party, chat_id: str, external_url: str | None, settings: Settings
) -> dict:
    """A video call started from a counseling chat by a counselor or client member (its moderator);
    the chat's members (a walk-in guest too) get the guest link."""
    entry = await enter(conn, party, chat_id)
    if party.role == "guest":
        raise Forbidden("Einen Video-Anruf starten die Beratenden oder Ratsuchende mit Konto.")
    if entry.chat.state == "ended":
        raise Conflict("Dieser Chat ist beendet.")
    room = await _create(conn, party.person_id, settings, external_url, chat_id=chat_id)
    await append(
        conn,
        chat_id,
        [ChatVideoCallStarted(centre_id=entry.chat.centre_id, room_id=room["id"], started_by=party.person_id)],
        actor_id=party.person_id,
    )
    await signal(conn, chat_key(chat_id))
    return room


async def latest_for_chat(conn: AsyncConnection, party: Party, chat_id: str, settings: Settings) -> dict:
    await enter(conn, party, chat_id)
    return await _latest(conn, party.person_id, settings, video_rooms.c.chat_id == chat_id)
