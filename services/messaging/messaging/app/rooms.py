"""Video rooms of a conversation: Jitsi links with signed room tokens, or an external static link."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound

from messaging.app.conversations import access
from messaging.domain.video import room_links
from messaging.readmodels.tables import video_rooms
from messaging.settings import Settings


def _view(row, principal: Principal, settings: Settings) -> dict:
    base = {"id": row.id, "conversation_id": row.conversation_id, "moderator_id": row.moderator_id,
            "created_at": row.created_at.isoformat()}
    if row.external_url:
        return base | {"external_url": row.external_url}
    links = room_links(settings.video_base_url, settings.video_app_id, settings.video_app_secret, row.room,
                       row.moderator_id, datetime.now(UTC), timedelta(minutes=settings.video_token_minutes))
    view = base | {"guest_url": links.guest_url, "expires_at": links.expires_at.isoformat()}
    if principal.account_id == row.moderator_id:
        view |= {"moderator_url": links.moderator_url, "seminar_url": links.seminar_url}
    return view


async def create(conn: AsyncConnection, principal: Principal, conversation_id: str, external_url: str | None,
                 settings: Settings) -> dict:
    """A new room; the creator moderates and gets all three links, the others the guest link."""
    await access(conn, principal, conversation_id)
    row = (await conn.execute(video_rooms.insert().values(
        id=uuid.uuid4().hex, conversation_id=conversation_id, moderator_id=principal.account_id,
        room=f"teilhabe-{secrets.token_hex(12)}", external_url=external_url or settings.video_external_url or None,
    ).returning(video_rooms))).one()
    return _view(row, principal, settings)


async def latest(conn: AsyncConnection, principal: Principal, conversation_id: str, settings: Settings) -> dict:
    await access(conn, principal, conversation_id)
    row = (await conn.execute(select(video_rooms).where(video_rooms.c.conversation_id == conversation_id)
                              .order_by(video_rooms.c.created_at.desc()).limit(1))).first()
    if row is None:
        raise NotFound("Für dieses Gespräch gibt es noch keinen Video-Raum.")
    return _view(row, principal, settings)
