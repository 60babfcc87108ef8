"""Use case on a centre's counseling settings (its admins)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app import access
from counseling.app.streams import SETTINGS, commit, load
from counseling.domain.events import SettingsDetailsChanged
from teilhabe_events.contexts.counseling import CounselingSettingsChanged
from teilhabe_kit.auth import Principal
from teilhabe_kit.if_match import expect


async def change(
    conn: AsyncConnection,
    principal: Principal,
    centre_id: str,
    if_match: int | None,
    public: CounselingSettingsChanged,
    details: SettingsDetailsChanged,
) -> int:
    access.require_admin(principal, centre_id)
    loaded = await load(conn, SETTINGS, centre_id)
    expect(loaded.version, if_match, "Die Einstellungen wurden inzwischen geändert. Bitte laden Sie die Seite neu.")
    committed = await commit(conn, SETTINGS, centre_id, loaded, [public, details], actor_id=principal.account_id)
    return committed.version
