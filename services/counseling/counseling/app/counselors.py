"""Use cases on a counselor's own profile and photo (the counselor, for the centre in their token)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.streams import COUNSELOR, commit, load
from counseling.domain import counselor as domain
from counseling.domain.events import CounselorPhotoChanged, CounselorProfileChanged
from counseling.readmodels.tables import counselor_photos, counselors
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import Conflict


async def change_profile(
    conn: AsyncConnection, principal: Principal, centre_id: str, event: CounselorProfileChanged
) -> None:
    access.require_staff(principal, centre_id)
    loaded = await load(conn, COUNSELOR, principal.account_id)
    await commit(conn, COUNSELOR, principal.account_id, loaded, [event], actor_id=principal.account_id)


async def set_photo(
    conn: AsyncConnection, principal: Principal, centre_id: str, media_type: str, content: bytes
) -> str:
    """Replace the photo (the old one is deleted); the profile must exist first."""
    access.require_staff(principal, centre_id)
    if await conn.scalar(select(counselors.c.id).where(counselors.c.id == principal.account_id)) is None:
        raise Conflict("Bitte speichern Sie zuerst Ihr Profil.", field="file")
    loaded = await load(conn, COUNSELOR, principal.account_id)
    photo_id = uuid.uuid4().hex
    await conn.execute(delete(counselor_photos).where(counselor_photos.c.counselor_id == principal.account_id))
    await conn.execute(
        counselor_photos.insert().values(
            photo_id=photo_id, counselor_id=principal.account_id, media_type=media_type, content=content
        )
    )
    await commit(
        conn,
        COUNSELOR,
        principal.account_id,
        loaded,
        [CounselorPhotoChanged(photo_id=photo_id)],
        actor_id=principal.account_id,
    )
    return photo_id


async def delete_photo(conn: AsyncConnection, principal: Principal, centre_id: str) -> None:
    access.require_staff(principal, centre_id)
    loaded = await load(conn, COUNSELOR, principal.account_id)
    state = loaded.state or domain.Counselor(id=principal.account_id)
    events = domain.delete_photo(state)
    await conn.execute(delete(counselor_photos).where(counselor_photos.c.counselor_id == principal.account_id))
    await commit(conn, COUNSELOR, principal.account_id, loaded, events, actor_id=principal.account_id)
